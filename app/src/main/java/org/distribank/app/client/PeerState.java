package org.distribank.app.client;

/** A bank as another bank's failure detector sees it. */
public record PeerState(String id, String name, String url, boolean online, long lastSeenMs) {
}
