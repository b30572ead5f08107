package org.distribank.consortium.core;

import java.util.Map;
import java.util.TreeMap;
import org.distribank.consortium.entity.PeerIds;
import org.distribank.consortium.entity.View;

/**
 * What a view ballot decides: the next {@link View} and its cut, per bank the highest sequence of that bank's
 * messages that the old epoch delivers (the members fetch up to it before they accept, and install it).
 */
public record ViewProposal(View view, Map<String, Long> cut) {

    public ViewProposal {
        if (view == null || cut == null) {
            throw new IllegalArgumentException("a proposal has a view and a cut");
        }
        TreeMap<String, Long> sorted = new TreeMap<>(PeerIds.COMPARATOR);
        cut.forEach((bank, seq) -> {
            if (seq == null || seq < 0) {
                throw new IllegalArgumentException("cut of " + bank + " is " + seq);
            }
            sorted.put(bank, seq);
        });
        cut = java.util.Collections.unmodifiableSortedMap(sorted);
    }

    public long epoch() {
        return view.epoch();
    }

    /** The initial view, decided by configuration: nothing to cut. */
    public static ViewProposal initial(View view) {
        return new ViewProposal(view, Map.of());
    }
}
