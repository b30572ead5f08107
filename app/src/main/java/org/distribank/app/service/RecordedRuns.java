package org.distribank.app.service;

import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.distribank.common.SecureFiles;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.View;
import org.distribank.consortium.transport.Json;

/**
 * Recorded runs on disk: the app's own format (one {@link ProtocolEvent} as JSON per line, everything kept) and,
 * read only, the ShiViz log {@link org.distribank.consortium.observe.ShiVizExport} writes. A ShiViz log keeps no
 * wall-clock time and folds the events that do not tick a clock into the text of the tick before them; reading it
 * back splits those again and stamps each event with a time made from its vector clock (the sum of its entries,
 * which grows along happened-before), so the run reads in causal order.
 */
public final class RecordedRuns {

    /** The events read and where they came from. */
    public record Run(List<ProtocolEvent> events, String format) {
    }

    /** Milliseconds per clock tick in the times made up for a ShiViz log; the events folded into one tick follow it. */
    static final long SHIVIZ_TICK_MS = 10;

    private static final Pattern CLOCK_LINE = Pattern.compile("^(\\S+) (\\{.*\\})\\s*$");
    private static final String TYPES = Arrays.stream(EventType.values()).map(Enum::name)
            .collect(Collectors.joining("|"));
    /** Where ShiVizExport joined two events' texts: "; " (or "; then ") before an event type. */
    private static final Pattern JOIN = Pattern.compile("; (?:then )?(?=(?:" + TYPES + ")(?: |$))");
    private static final Pattern MESSAGE = Pattern.compile("^(OP|VOTE|ACK)\\b.*\\bseq=(\\d+)");
    private static final Pattern VIEW = Pattern.compile("^epoch (\\d+): members ([^;]+)(?:; out (.+))?$");

    private RecordedRuns() {
    }

    /** Writes {@code events} to {@code file}, one JSON line each; owner-only (operations' payloads name customers). */
    public static int save(Path file, Collection<ProtocolEvent> events) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ProtocolEvent e : events) {
            sb.append(Json.GSON.toJson(e)).append('\n');
        }
        SecureFiles.writePrivate(file, sb.toString());
        return events.size();
    }

    /** Reads a run saved by {@link #save} or a ShiViz log; throws when the file is neither. */
    public static Run load(Path file) throws IOException {
        List<String> lines;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            lines = in.lines().toList();
        }
        String first = lines.stream().filter(l -> !l.isBlank()).findFirst()
                .orElseThrow(() -> new IOException(file + " holds no event"));
        return first.stripLeading().startsWith("{") ? new Run(jsonLines(lines), "DistriBank recording")
                : new Run(shiViz(lines), "ShiViz log");
    }

    static List<ProtocolEvent> jsonLines(List<String> lines) throws IOException {
        List<ProtocolEvent> out = new ArrayList<>(lines.size());
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                ProtocolEvent e = Json.GSON.fromJson(line, ProtocolEvent.class);
                if (e == null || e.type() == null || e.self() == null) {
                    throw new IOException("line " + n + " is not a protocol event");
                }
                out.add(e);
            } catch (JsonParseException ex) {
                throw new IOException("line " + n + " is not a protocol event: " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /** A ShiViz log: pairs of lines, the events' text then {@code host {clock}}. */
    static List<ProtocolEvent> shiViz(List<String> lines) throws IOException {
        List<ProtocolEvent> out = new ArrayList<>();
        Map<String, Long> index = new HashMap<>();
        String text = null;
        int n = 0;
        for (String line : lines) {
            n++;
            Matcher m = CLOCK_LINE.matcher(line);
            if (text != null && m.matches()) {
                VectorClock clock = clock(m.group(2), n);
                String host = m.group(1);
                long time = clock.sum() * SHIVIZ_TICK_MS;
                String[] parts = JOIN.split(text);
                // the events before the first tick of a node came first in its text ("...; then SEND ..."): keep
                // each in its place, one millisecond apart, the tick on its clock's time
                int tick = tickPart(parts);
                for (int i = 0; i < parts.length; i++) {
                    long at = time + i - tick;
                    out.add(event(parts[i].strip(), host, index.merge(host, 1L, Long::sum), at, clock));
                }
                text = null;
            } else if (!line.isBlank()) {
                if (text != null) {
                    throw new IOException("line " + (n - 1) + ": an event without its host and clock line");
                }
                text = line;
            }
        }
        if (out.isEmpty()) {
            throw new IOException("neither a DistriBank recording nor a ShiViz log: no event found");
        }
        return out;
    }

    private static int tickPart(String[] parts) {
        for (int i = 0; i < parts.length; i++) {
            String type = parts[i].split(" ", 2)[0];
            if (type.equals("SEND") || type.equals("ACK") || type.equals("RECEIVE")) {
                return i;
            }
        }
        return 0;
    }

    private static VectorClock clock(String json, int line) throws IOException {
        try {
            Map<String, Long> m = Json.GSON.fromJson(json, new TypeToken<Map<String, Long>>() { }.getType());
            return new VectorClock(m);
        } catch (JsonParseException | NullPointerException e) {
            throw new IOException("line " + line + ": not a vector clock: " + json, e);
        }
    }

    /** Parses {@link ProtocolEvent#describe()}: {@code TYPE [opId] [to|from peer] [detail]}. */
    static ProtocolEvent event(String text, String host, long index, long timeMs, VectorClock clock) {
        String[] words = text.split(" ");
        EventType type;
        try {
            type = EventType.valueOf(words[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return new ProtocolEvent(index, timeMs, host, EventType.HEALTH, null, null, text, clock, null);
        }
        int i = 1;
        String opId = null;
        if (carriesOperation(type) && i < words.length && !words[i].equals("to") && !words[i].equals("from")) {
            opId = words[i++];
        }
        String peer = null;
        if (i + 1 < words.length && (words[i].equals("to") || words[i].equals("from"))) {
            peer = words[i + 1];
            i += 2;
        }
        String detail = i < words.length ? String.join(" ", Arrays.asList(words).subList(i, words.length)) : null;
        String message = null;
        Long seq = null;
        if (detail != null && (type == EventType.SEND || type == EventType.ACK || type == EventType.RECEIVE)) {
            Matcher m = MESSAGE.matcher(detail);
            if (m.find()) {
                message = m.group(1);
                seq = Long.parseLong(m.group(2));
            }
        }
        View view = type == EventType.VIEW && detail != null ? view(detail) : null;
        return new ProtocolEvent(index, timeMs, host, type, peer, opId, detail, clock, view, message, seq);
    }

    private static boolean carriesOperation(EventType t) {
        return switch (t) {
            case SEND, RECEIVE, DELIVER, VOTE, COMMIT, ABORT -> true;
            default -> false;
        };
    }

    /** The view of a VIEW event's text ({@code epoch 2: members b1,b2,b3; out b4}), or null. */
    private static View view(String detail) {
        Matcher m = VIEW.matcher(detail);
        if (!m.matches()) {
            return null;
        }
        List<String> members = List.of(m.group(2).strip().split(","));
        List<String> banks = new ArrayList<>(members);
        if (m.group(3) != null) {
            banks.addAll(List.of(m.group(3).strip().split(",")));
        }
        try {
            return new View(Long.parseLong(m.group(1)), members, banks);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
