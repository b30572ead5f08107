package org.distribank.bank.pix;

/** The kinds of PIX key a customer can register (API.md, "PIX keys"). */
public enum PixKeyType {
    CPF,
    CNPJ,
    EMAIL,
    PHONE,
    /** A key the bank generates (a UUID); the customer does not choose its value. */
    RANDOM
}
