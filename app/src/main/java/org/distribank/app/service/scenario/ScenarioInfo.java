package org.distribank.app.service.scenario;

import java.util.List;

/** A scenario as the Scenarios page lists it. */
public record ScenarioInfo(String id, String title, String description, List<String> steps) {

    public ScenarioInfo {
        steps = List.copyOf(steps);
    }

    static ScenarioInfo of(Scenario s) {
        return new ScenarioInfo(s.id(), s.title(), s.description(), s.steps().stream().map(Step::title).toList());
    }
}
