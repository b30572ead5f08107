package org.distribank.consortium.entity;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A view of the consortium (DESIGN.md "Views"): its {@code epoch}, the {@code banks} configured, and the
 * {@code members} that order operations in it, always a majority of {@code banks} (so two disjoint groups can never
 * both hold one). Both lists are sorted by {@link PeerIds#COMPARATOR}, without duplicates.
 */
public record View(long epoch, List<String> members, List<String> banks) {

    public View {
        if (epoch < 0) {
            throw new IllegalArgumentException("a view's epoch is not negative, got " + epoch);
        }
        members = sorted(members, "members");
        banks = sorted(banks, "banks");
        if (!banks.containsAll(members)) {
            throw new IllegalArgumentException("members " + members + " are not all among the banks " + banks);
        }
        if (2 * members.size() <= banks.size()) {
            throw new IllegalArgumentException("members " + members + " are not a majority of the banks " + banks);
        }
    }

    /** The first view: every configured bank a member. */
    public static View initial(List<String> banks) {
        return new View(0, banks, banks);
    }

    public boolean isMember(String bank) {
        return members.contains(bank);
    }

    /**
     * One of the banks, not a member: out of this view until it rejoins. A bank no longer among the banks has
     * retired: it is neither, and votes on nothing.
     */
    public boolean isOut(String bank) {
        return banks.contains(bank) && !members.contains(bank);
    }

    private static List<String> sorted(List<String> ids, String what) {
        TreeSet<String> set = new TreeSet<>(PeerIds.COMPARATOR);
        for (String id : ids) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("a blank id among the " + what + " " + ids);
            }
            if (!set.add(id)) {
                throw new IllegalArgumentException("duplicate " + id + " among the " + what + " " + ids);
            }
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("a view has " + what);
        }
        return List.copyOf(new ArrayList<>(set));
    }
}
