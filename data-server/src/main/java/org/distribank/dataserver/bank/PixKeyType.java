package org.distribank.dataserver.bank;

public enum PixKeyType { CPF, CNPJ, EMAIL, PHONE, RANDOM }
