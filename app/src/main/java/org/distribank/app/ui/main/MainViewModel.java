package org.distribank.app.ui.main;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.distribank.app.service.ConsortiumConnection;
import org.distribank.app.service.ConsortiumMonitor;
import org.distribank.app.ui.common.UiTasks;

/**
 * The main window's state: the consortium it works on, the monitor every consortium page reads,
 * and how work is run. The page ViewModels are made from this one.
 */
public final class MainViewModel implements AutoCloseable {

    /** How often each bank's view is polled. */
    public static final long POLL_MS = 500;
    /** Protocol events kept per bank (for the diagram and the ShiViz export). */
    public static final int EVENTS_PER_BANK = 20_000;

    private final ConsortiumConnection connection;
    private final ConsortiumMonitor monitor;
    private final UiTasks tasks;
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper();

    public MainViewModel(ConsortiumConnection connection, UiTasks tasks) {
        this.connection = connection;
        this.tasks = tasks;
        this.monitor = new ConsortiumMonitor(connection, POLL_MS, EVENTS_PER_BANK);
        title.set("DistriBank: " + connection.describe());
    }

    /** Starts polling and following the banks. */
    public void start() {
        monitor.start();
    }

    public ConsortiumConnection connection() {
        return connection;
    }

    /** What the sidebar says under the brand: which consortium this window shows. */
    public String consortiumText() {
        return connection.describe();
    }

    public ConsortiumMonitor monitor() {
        return monitor;
    }

    public UiTasks tasks() {
        return tasks;
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** Stops watching and, for a consortium this app launched, stops its banks and data servers. */
    @Override
    public void close() {
        monitor.close();
        connection.close();
    }
}
