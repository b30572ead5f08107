package org.distribank.consortium.entity;

/** A peer as the failure detector sees it; {@code lastSeenMs} is epoch millis of the last sign of life. */
public record PeerStatus(String id, String name, String url, boolean online, long lastSeenMs) {
}
