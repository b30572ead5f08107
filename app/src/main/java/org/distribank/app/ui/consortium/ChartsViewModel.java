package org.distribank.app.ui.consortium;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;

/**
 * Live throughput and latency over the last {@link #WINDOW_SECONDS} seconds, from the protocol's
 * events. Throughput: operations decided per second in the consortium (each operation counted once,
 * at the first COMMIT or ABORT seen for it at any bank). Latency: per operation, from its origin's
 * multicast (the origin's SEND of the operation, i.e. its submission) to its outcome at the origin;
 * per second, the median and the 99th percentile of the operations decided in that second.
 * {@link #tick(long)} (about once a second) turns the counts into chart points.
 */
public final class ChartsViewModel implements LiveFeed.Sink {

    public static final int WINDOW_SECONDS = 60;
    /** Operations remembered (submission times, decided ids) for matching, at most. */
    static final int MEMORY = 100_000;

    /** A point of a series: x in seconds relative to now (negative: the past), y the value. */
    public record Point(double x, double y) {
    }

    private static final class Second {
        long committed;
        long aborted;
        final List<Long> latencies = new ArrayList<>();
    }

    private record Submission(String origin, long timeMs) {
    }

    private final TreeMap<Long, Second> seconds = new TreeMap<>();
    private final Map<String, Submission> submitted = bounded();
    private final Map<String, Boolean> decided = bounded();

    private final ObservableList<Point> committed = FXCollections.observableArrayList();
    private final ObservableList<Point> aborted = FXCollections.observableArrayList();
    private final ObservableList<Point> p50 = FXCollections.observableArrayList();
    private final ObservableList<Point> p99 = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper throughputText = new ReadOnlyStringWrapper("No operation decided yet.");
    private final ReadOnlyStringWrapper latencyText = new ReadOnlyStringWrapper("No latency measured yet.");

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MEMORY;
            }
        };
    }

    /** Committed operations per second. */
    public ObservableList<Point> committed() {
        return committed;
    }

    /** Aborted operations per second. */
    public ObservableList<Point> aborted() {
        return aborted;
    }

    /** Median latency (ms) of the operations decided in each second. */
    public ObservableList<Point> p50() {
        return p50;
    }

    /** 99th percentile latency (ms) of the operations decided in each second. */
    public ObservableList<Point> p99() {
        return p99;
    }

    public ReadOnlyStringProperty throughputTextProperty() {
        return throughputText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty latencyTextProperty() {
        return latencyText.getReadOnlyProperty();
    }

    @Override
    public void events(List<ProtocolEvent> batch) {
        for (ProtocolEvent e : batch) {
            if (e.opId() == null) {
                continue;
            }
            if (e.type() == EventType.SEND && "OP".equals(SpaceTime.messageKind(e))) {
                submitted.putIfAbsent(e.opId(), new Submission(e.self(), e.timeMs()));
            } else if (e.type() == EventType.COMMIT || e.type() == EventType.ABORT) {
                Second s = seconds.computeIfAbsent(Math.floorDiv(e.timeMs(), 1000), k -> new Second());
                if (decided.putIfAbsent(e.opId(), Boolean.TRUE) == null) {
                    if (e.type() == EventType.COMMIT) {
                        s.committed++;
                    } else {
                        s.aborted++;
                    }
                }
                Submission sub = submitted.get(e.opId());
                if (sub != null && sub.origin().equals(e.self())) {
                    s.latencies.add(Math.max(0, e.timeMs() - sub.timeMs()));
                    submitted.remove(e.opId());
                }
            }
        }
    }

    /** Recomputes the series for the window ending at {@code nowMs} (complete seconds only). */
    public void tick(long nowMs) {
        long now = Math.floorDiv(nowMs, 1000);
        seconds.headMap(now - 2L * WINDOW_SECONDS).clear();
        List<Point> c = new ArrayList<>();
        List<Point> a = new ArrayList<>();
        List<Point> m = new ArrayList<>();
        List<Point> n = new ArrayList<>();
        long recentOps = 0;
        List<Long> recentLat = new ArrayList<>();
        for (long sec = now - WINDOW_SECONDS; sec < now; sec++) {
            Second s = seconds.get(sec);
            double x = sec - now;
            c.add(new Point(x, s == null ? 0 : s.committed));
            a.add(new Point(x, s == null ? 0 : s.aborted));
            if (s != null && !s.latencies.isEmpty()) {
                long[] l = s.latencies.stream().mapToLong(Long::longValue).toArray();
                m.add(new Point(x, percentile(l, 50)));
                n.add(new Point(x, percentile(l, 99)));
            }
            if (s != null && sec >= now - 10) {
                recentOps += s.committed + s.aborted;
                recentLat.addAll(s.latencies);
            }
        }
        committed.setAll(c);
        aborted.setAll(a);
        p50.setAll(m);
        p99.setAll(n);
        throughputText.set(String.format("Last 10 s: %.1f operations decided per second.", recentOps / 10.0));
        if (recentLat.isEmpty()) {
            latencyText.set("Last 10 s: no operation decided at its origin.");
        } else {
            long[] l = recentLat.stream().mapToLong(Long::longValue).toArray();
            latencyText.set("Last 10 s: p50 " + percentile(l, 50) + " ms, p99 " + percentile(l, 99)
                    + " ms (submission to outcome at the origin, " + l.length + " operations).");
        }
    }

    /** The {@code pct}th percentile (nearest rank) of {@code values}. */
    static long percentile(long[] values, int pct) {
        long[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(pct / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }
}
