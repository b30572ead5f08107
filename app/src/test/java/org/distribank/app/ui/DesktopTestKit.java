package org.distribank.app.ui;

import org.distribank.app.launch.LaunchOptions;
import org.distribank.app.ui.start.StartViewModel;

/** What UI tests share: a quick launch plan (cheap bcrypt, a fast failure detector). */
public final class DesktopTestKit {

    /** bcrypt cost 4 and heartbeats every 200 ms (offline after 1.5 s), so tests see faults quickly. */
    public static final StartViewModel.LaunchPlan QUICK = (banks, dir, separate, processes) -> LaunchOptions
            .builder().banks(banks).dataDir(dir).separateDataServers(separate).processes(processes).bcryptCost(4)
            .heartbeat(200, 1_500).build();

    private DesktopTestKit() {
    }
}
