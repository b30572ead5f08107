package org.distribank.bank.execution;

/**
 * Where {@link BankMachine#decide} hands each decided operation's {@link Effects}, in delivery order, from the
 * protocol's thread: must not block. {@link Applier} writes them to the data server; a test or a simulator may
 * keep them in memory.
 */
@FunctionalInterface
public interface EffectSink {

    void enqueue(Effects effects);
}
