package org.distribank.app.client;

/** One bank's outbound link to {@code peer}: UP, CUT or SLOW (each message delayed by {@code delayMs}). */
public record LinkState(String peer, String state, long delayMs) {
}
