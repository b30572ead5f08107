package org.distribank.consortium.observe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;

/**
 * Writes protocol events in ShiViz's log format: for each event a text line, then a line
 * {@code <host> <vector clock JSON>}. Parse it in ShiViz with {@link #REGEX} (multi-line).
 *
 * <p>ShiViz wants each event to tick its host's own clock entry; in this protocol only sends and
 * receives tick it, so the other events (deliveries, votes, outcomes, up/down, view changes) are appended to the
 * text of the tick before them instead of being events of their own; those before a node's first tick (a view
 * installed as it starts) open the text of its first tick instead, so none is lost.
 */
public final class ShiVizExport {

    /** The parser regex to paste into ShiViz. */
    public static final String REGEX = "(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})";

    private ShiVizExport() {
    }

    private static boolean ticks(ProtocolEvent e) {
        return e.type() == EventType.SEND || e.type() == EventType.ACK || e.type() == EventType.RECEIVE;
    }

    /** One node's events, or several nodes' (each list in its own order), as one ShiViz log. */
    public static String format(Collection<List<ProtocolEvent>> perNode) {
        StringBuilder out = new StringBuilder();
        for (List<ProtocolEvent> events : perNode) {
            List<StringBuilder> texts = new ArrayList<>();
            List<ProtocolEvent> ticks = new ArrayList<>();
            // events before the node's first tick (a view installed as it starts)
            StringBuilder before = new StringBuilder();
            for (ProtocolEvent e : events) {
                if (ticks(e)) {
                    ticks.add(e);
                    texts.add(new StringBuilder(before).append(e.describe()));
                    before.setLength(0);
                } else if (!texts.isEmpty()) {
                    texts.get(texts.size() - 1).append("; ").append(e.describe());
                } else {
                    before.append(e.describe()).append("; then ");
                }
            }
            for (int i = 0; i < ticks.size(); i++) {
                ProtocolEvent e = ticks.get(i);
                out.append(texts.get(i).toString().replace('\n', ' ')).append('\n')
                        .append(e.self()).append(' ').append(e.clock()).append('\n');
            }
        }
        return out.toString();
    }
}
