package org.distribank.consortium.entity;

/** A member of the consortium: its id ("b1".."bN"), display name and base URL of its peer endpoint. */
public record PeerInfo(String id, String name, String url) {
}
