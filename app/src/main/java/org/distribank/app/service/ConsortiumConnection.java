package org.distribank.app.service;

import java.util.List;
import java.util.Optional;
import org.distribank.app.client.CustomerClient;
import org.distribank.app.client.OperatorClient;

/**
 * The consortium the app works with: one it launched itself ({@link EmbeddedConsortium}) or banks
 * already running elsewhere ({@link RemoteConsortium}). Every method may block (network, process
 * start); ViewModels call them on background threads.
 */
public interface ConsortiumConnection extends BankLifecycle, AutoCloseable {

    /** Shown in the window title and the recent list. */
    String describe();

    List<BankRef> banks();

    default BankRef bank(String id) {
        return banks().stream().filter(b -> b.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no bank " + id));
    }

    /** The operator token, when known: without it the consortium pages cannot be shown. */
    Optional<String> operatorToken();

    /**
     * Bank {@code id}'s operator token, when known. Each bank has its own; a connection that knows only one
     * (a remote consortium reached with one token) answers that one for every bank.
     */
    default Optional<String> operatorToken(String id) {
        return operatorToken();
    }

    /** A fresh customer client of bank {@code id} (each customer window has its own session). */
    default CustomerClient customer(String id) {
        BankRef b = bank(id);
        return new CustomerClient(b.id(), b.url());
    }

    /** The operator client of bank {@code id}; empty without an operator token. */
    default Optional<OperatorClient> operator(String id) {
        BankRef b = bank(id);
        return operatorToken(id).map(t -> new OperatorClient(b.id(), b.url(), t));
    }

    /** Through bank {@code id}'s operator API; a connection that launched the banks also stops it. */
    @Override
    default void retireBank(String id) {
        operator(id).orElseThrow(() -> new IllegalStateException("no operator token for " + id)).retire();
    }

    /** Whether this app's bank {@code id} is running (always true for banks it does not control). */
    boolean bankRunning(String id);

    @Override
    void close();
}
