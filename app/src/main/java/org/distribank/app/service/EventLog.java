package org.distribank.app.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distribank.common.SecureFiles;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.observe.ShiVizExport;

/** The protocol events the app has seen, per bank, the newest {@code capacity} of each; exportable for ShiViz. */
public final class EventLog {

    private final int capacity;
    private final Map<String, ArrayDeque<ProtocolEvent>> perBank = new LinkedHashMap<>();

    public EventLog(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(ProtocolEvent e) {
        ArrayDeque<ProtocolEvent> q = perBank.computeIfAbsent(e.self(), k -> new ArrayDeque<>());
        // a reconnect replays nothing, but keep each bank's list in its own order regardless; a bank
        // restarted numbers its events from 1 again, later in time: those are kept
        ProtocolEvent last = q.peekLast();
        if (last != null && last.index() >= e.index() && e.index() > 0 && last.timeMs() >= e.timeMs()) {
            return;
        }
        q.addLast(e);
        if (q.size() > capacity) {
            q.pollFirst();
        }
    }

    public synchronized int size() {
        return perBank.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    public synchronized Map<String, List<ProtocolEvent>> snapshot() {
        Map<String, List<ProtocolEvent>> out = new LinkedHashMap<>();
        perBank.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }

    /** The events in ShiViz's log format; paste {@link ShiVizExport#REGEX} as the parser in ShiViz. */
    public String toShiViz() {
        return ShiVizExport.format(snapshot().values());
    }

    /** Writes {@link #toShiViz()} to {@code file} and returns how many events it holds. */
    public int exportShiViz(Path file) throws IOException {
        Map<String, List<ProtocolEvent>> s = snapshot();
        // operations' payloads name customers: owner-only, like the logs they come from
        SecureFiles.writePrivate(file, ShiVizExport.format(s.values()));
        return s.values().stream().mapToInt(List::size).sum();
    }

    public synchronized void clear() {
        perBank.clear();
    }
}
