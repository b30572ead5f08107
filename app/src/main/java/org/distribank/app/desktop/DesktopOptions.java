package org.distribank.app.desktop;

import java.nio.file.Path;
import org.distribank.app.launch.LaunchOptions;

/**
 * How the desktop app starts: on the start screen ({@link #startScreen()}), or ({@code launchBanks > 0}) straight
 * into a consortium of that many banks launched in {@code dataDir}. {@code recentFile} null: the user's. An
 * immutable, validated record; {@link #builder()} starts from the start screen.
 */
public record DesktopOptions(int launchBanks, Path dataDir, Path recentFile, boolean dark) {

    public DesktopOptions {
        if (launchBanks < 0 || launchBanks > LaunchOptions.MAX_BANKS) {
            throw new IllegalArgumentException("launchBanks must be 0 (the start screen) or 1.."
                    + LaunchOptions.MAX_BANKS + ", got " + launchBanks);
        }
        if (launchBanks > 0 && dataDir == null) {
            throw new IllegalArgumentException("launching " + launchBanks + " banks needs a dataDir");
        }
    }

    public static DesktopOptions startScreen() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int launchBanks;
        private Path dataDir;
        private Path recentFile;
        private boolean dark;

        private Builder() {
        }

        public Builder launchBanks(int banks) { this.launchBanks = banks; return this; }
        public Builder dataDir(Path dataDir) { this.dataDir = dataDir; return this; }
        public Builder recentFile(Path recentFile) { this.recentFile = recentFile; return this; }
        public Builder dark(boolean dark) { this.dark = dark; return this; }

        public DesktopOptions build() {
            return new DesktopOptions(launchBanks, dataDir, recentFile, dark);
        }
    }
}
