package org.distribank.bank.execution;

/**
 * Where {@link BankMachine#decide} hands each decided operation's {@link Effects}, in delivery order, from the
 * protocol's thread: must not block. {@link Applier} writes them to the data server; a test or a simulator may
 * keep them in memory.
 */
@FunctionalInterface
public interface EffectSink {

    void enqueue(Effects effects);

    /**
     * The delivery position through which every effect handed over so far is durable where it goes (the bank's
     * {@link BankMachine#appliedPosition()}: the protocol keeps a restart point at or below it). The default is for
     * a sink that keeps nothing outside the machine (a test's or a simulator's list): no limit.
     */
    default long durablePosition() {
        return Long.MAX_VALUE;
    }
}
