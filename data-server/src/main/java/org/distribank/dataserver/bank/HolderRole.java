package org.distribank.dataserver.bank;

public enum HolderRole { HOLDER, ADMIN, EMPLOYEE }
