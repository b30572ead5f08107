package org.distribank.consortium.multicast;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.OrderKey;

/**
 * Lamport's hold-back queue. Operations wait sorted by order key; the head is deliverable once,
 * from every other peer, a message with a larger key has been seen. Links are FIFO and every
 * peer's keys grow with each send, so nothing with a smaller key can still arrive from that peer.
 * Not thread-safe: owned by the protocol thread.
 */
public final class HoldBackQueue {

    private final String self;
    /** The other members of the view: the head waits for a larger key from each of them, and only them. */
    private List<String> others;
    private final TreeMap<OrderKey, Operation> queue = new TreeMap<>();
    /** The key of the latest message seen from each other peer (FIFO, so also the largest). */
    private final Map<String, OrderKey> latest = new HashMap<>();

    public HoldBackQueue(String self, List<String> peerIds) {
        this.self = self;
        this.others = peerIds.stream().filter(p -> !p.equals(self)).toList();
    }

    /**
     * The view changed: from now on the head waits for the other {@code members} only (DESIGN.md "Views"; a bank
     * outside the view sends nothing that counts).
     */
    public void members(List<String> members) {
        this.others = members.stream().filter(p -> !p.equals(self)).toList();
    }

    /** Removes and returns the head whatever the acks (a view change delivers what its cut holds), else null. */
    public Operation pollHead() {
        Map.Entry<OrderKey, Operation> head = queue.pollFirstEntry();
        return head == null ? null : head.getValue();
    }

    /** Takes back a queued operation (its OP never reached any member of a new view); false if not queued. */
    public boolean remove(Operation op) {
        return queue.remove(op.orderKey(), op);
    }

    public void add(Operation op) {
        queue.put(op.orderKey(), op);
    }

    /** Records that {@code from} sent a message with {@code key} (any type: op, ack, vote). */
    public void observe(String from, OrderKey key) {
        if (from.equals(self)) {
            return;
        }
        OrderKey prev = latest.get(from);
        if (prev == null || key.greaterThan(prev)) {
            latest.put(from, key);
        }
    }

    /** Removes and returns the head if it is deliverable, else null. */
    public Operation pollDeliverable() {
        Map.Entry<OrderKey, Operation> head = queue.firstEntry();
        if (head == null) {
            return null;
        }
        for (String p : others) {
            OrderKey k = latest.get(p);
            if (k == null || !k.greaterThan(head.getKey())) {
                return null;
            }
        }
        queue.pollFirstEntry();
        return head.getValue();
    }

    /** The peers (this one included) that have "acked" {@code op}: sent a larger key, or are this peer. */
    public List<String> acks(Operation op) {
        List<String> acks = new ArrayList<>();
        acks.add(self);
        OrderKey key = op.orderKey();
        for (String p : others) {
            OrderKey k = latest.get(p);
            if (k != null && k.greaterThan(key)) {
                acks.add(p);
            }
        }
        acks.sort(org.distribank.consortium.entity.PeerIds.COMPARATOR);
        return acks;
    }

    /** Queued operations in order-key order. */
    public List<Operation> snapshot() {
        return new ArrayList<>(queue.values());
    }

    public int size() {
        return queue.size();
    }

    public boolean contains(OrderKey key) {
        return queue.containsKey(key);
    }

    /** The key of the latest message seen from each other peer (for a snapshot). */
    public Map<String, OrderKey> latest() {
        return Map.copyOf(latest);
    }

    /** A snapshot's latest keys, into a fresh queue. */
    public void restoreLatest(Map<String, OrderKey> keys) {
        latest.putAll(keys);
    }
}
