package org.distribank.app.service.scenario;

/** A step failed: its action was refused or its condition did not hold in time. The message is a sentence. */
public final class ScenarioException extends RuntimeException {

    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
