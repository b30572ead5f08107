package org.distribank.dataserver.bank;

public enum AccountType { PERSONAL, JOINT, BUSINESS }
