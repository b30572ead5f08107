package org.distribank.app.client;

import java.util.List;
import java.util.Map;

/** An operation in a bank's hold-back queue: who sent it, its vector clock, who acked it, and its state. */
public record QueueItem(String id, String origin, Map<String, Long> clock, List<String> acks, String state) {
}
