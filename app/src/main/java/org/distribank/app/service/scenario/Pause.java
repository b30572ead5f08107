package org.distribank.app.service.scenario;

import java.util.List;
import org.distribank.consortium.entity.ProtocolEvent;

/**
 * Where a scenario stopped: after step {@code done} of {@code steps} (0: set up, nothing run yet), that step's title
 * and explanation, and the scenario's events up to that moment (the diagram freezes on them).
 */
public record Pause(String scenario, int done, int steps, String title, String explanation,
                    List<ProtocolEvent> events) {

    public Pause {
        events = List.copyOf(events);
    }

    public boolean finished() {
        return done >= steps;
    }
}
