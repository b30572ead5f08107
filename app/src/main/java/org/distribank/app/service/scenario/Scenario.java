package org.distribank.app.service.scenario;

import java.util.List;

/**
 * A teaching scenario: what it shows, the label of the operation its diagram highlights ({@code focus}, e.g. "T"),
 * and its steps in order. Each run sets up customers of its own.
 */
public record Scenario(String id, String title, String description, String focus, List<Step> steps) {

    public Scenario {
        steps = List.copyOf(steps);
    }
}
