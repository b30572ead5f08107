package org.distribank.app.service.scenario;

import java.util.List;

/** A teaching scenario: what it shows, and its steps in order. Each run sets up customers of its own. */
public record Scenario(String id, String title, String description, List<Step> steps) {

    public Scenario {
        steps = List.copyOf(steps);
    }
}
