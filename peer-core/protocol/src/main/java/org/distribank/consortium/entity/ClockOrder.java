package org.distribank.consortium.entity;

/** The relation of one vector clock to another. */
public enum ClockOrder {
    /** Happened before the other. */
    BEFORE,
    /** Happened after the other. */
    AFTER,
    EQUAL,
    /** Neither happened before the other. */
    CONCURRENT
}
