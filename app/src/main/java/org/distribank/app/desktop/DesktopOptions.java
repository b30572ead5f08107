package org.distribank.app.desktop;

import java.nio.file.Path;

/**
 * How the desktop app starts: on the start screen, or ({@code launchBanks > 0}) straight into a
 * consortium of that many banks launched in {@code dataDir}. {@code recentFile} null: the user's.
 */
public record DesktopOptions(int launchBanks, Path dataDir, Path recentFile, boolean dark) {

    public static DesktopOptions startScreen() {
        return new DesktopOptions(0, null, null, false);
    }
}
