package org.distribank.consortium.entity;

/** How an operation ended: identical at every peer. */
public enum Decision {
    COMMITTED,
    ABORTED
}
