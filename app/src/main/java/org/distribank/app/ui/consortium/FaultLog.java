package org.distribank.app.ui.consortium;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * What the faults page did, in words: the bank controls and the link controls both tell it, and the page shows one
 * log. UI thread only.
 */
public final class FaultLog {

    public static final int MAX_MESSAGES = 50;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ObservableList<String> messages = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper lastMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper lastError = new ReadOnlyStringWrapper("");

    /** What happened, newest first. */
    public ObservableList<String> messages() {
        return messages;
    }

    public ReadOnlyStringProperty lastMessageProperty() {
        return lastMessage.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty lastErrorProperty() {
        return lastError.getReadOnlyProperty();
    }

    /** An action done: the last message, and no error any more. */
    void say(String text) {
        lastError.set("");
        lastMessage.set(text);
        log(text);
    }

    /** An action refused or failed: the last error (the last message stays). */
    void fail(String text) {
        lastError.set(text);
        log(text);
    }

    private void log(String text) {
        messages.add(0, LocalTime.now().format(CLOCK) + "  " + text);
        if (messages.size() > MAX_MESSAGES) {
            messages.remove(messages.size() - 1);
        }
    }
}
