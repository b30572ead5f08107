package org.distribank.app.service;

import org.distribank.app.client.ConsortiumSnapshot;

/** The latest poll of one bank: its consortium view, or why it gave none. */
public record BankStatus(String bank, boolean reachable, ConsortiumSnapshot snapshot, String error, long atMs) {
}
