package org.distribank.dataserver.bank;

public enum TransactionStatus { PENDING, COMMITTED, ABORTED }
