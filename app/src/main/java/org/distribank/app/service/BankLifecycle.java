package org.distribank.app.service;

/**
 * Stopping, starting and retiring the consortium's banks: what the faults page's bank controls need, apart from the
 * rest of a {@link ConsortiumConnection} so its ViewModel is tested against a fake. Every method may block.
 */
public interface BankLifecycle {

    /** True when this app started the banks and can stop and start them (the fault controls). */
    boolean controlsBanks();

    /** Stops bank {@code id} abruptly: SIGKILL when banks are processes, an immediate close when embedded. */
    void killBank(String id);

    /** Starts bank {@code id} again from its data. */
    void restartBank(String id) throws Exception;

    /**
     * Retires bank {@code id} from the consortium (its operator API; refused while it holds money). A connection
     * that launched the banks also stops it and leaves it out of later starts.
     */
    void retireBank(String id);
}
