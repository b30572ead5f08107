package org.distribank.consortium.storage;

/** The log could not make something durable: the node that owns it must stop (fail-stop). */
public final class StorageFailure extends RuntimeException {

    public StorageFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
