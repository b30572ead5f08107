package org.distribank.app.service;

import org.distribank.app.client.ConsortiumSnapshot;

/** The latest poll of one bank: its consortium view, or why it gave none. */
public record BankStatus(String bank, boolean reachable, ConsortiumSnapshot snapshot, String error, long atMs) {

    /** The error of a bank this app stopped itself: the monitor's word, and what the pages call it. */
    public static final String STOPPED = "stopped";

    /** Whether this app stopped the bank (not merely: it does not answer). */
    public boolean stopped() {
        return !reachable && STOPPED.equals(error);
    }
}
