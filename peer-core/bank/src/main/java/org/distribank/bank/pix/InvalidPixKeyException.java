package org.distribank.bank.pix;

/** A PIX key whose format is wrong; the message is meant for the customer. */
public class InvalidPixKeyException extends IllegalArgumentException {

    public InvalidPixKeyException(String message) {
        super(message);
    }
}
