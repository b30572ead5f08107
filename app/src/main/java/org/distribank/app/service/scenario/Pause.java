package org.distribank.app.service.scenario;

import java.util.List;
import org.distribank.consortium.entity.ProtocolEvent;

/**
 * Where a scenario stopped: after step {@code done} of {@code steps} (0: set up, nothing run yet), that step's title
 * and explanation, the scenario's events up to that moment (the diagram freezes on them) and the id of the
 * operation to highlight on it ({@code focus}, null for none).
 */
public record Pause(String scenario, int done, int steps, String title, String explanation,
                    List<ProtocolEvent> events, String focus) {

    public Pause {
        events = List.copyOf(events);
    }

    /** A pause that highlights nothing. */
    public Pause(String scenario, int done, int steps, String title, String explanation, List<ProtocolEvent> events) {
        this(scenario, done, steps, title, explanation, events, null);
    }

    public boolean finished() {
        return done >= steps;
    }
}
