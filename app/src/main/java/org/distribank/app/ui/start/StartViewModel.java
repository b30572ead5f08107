package org.distribank.app.ui.start;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.launch.LaunchOptions;
import org.distribank.app.service.ConsortiumConnection;
import org.distribank.app.service.EmbeddedConsortium;
import org.distribank.app.service.RecentConsortiums;
import org.distribank.app.service.RemoteConsortium;
import org.distribank.app.ui.common.Errors;
import org.distribank.app.ui.common.UiTasks;

/**
 * The start screen: launch a consortium on this computer (3 to 8 banks, a data directory, a shared
 * data server or one per bank, banks in this process or each its own) or connect to banks already
 * running, by URL, with the operator token if known. Remembers recent consortiums.
 */
public final class StartViewModel {

    public static final int MIN_BANKS = 3;
    public static final int MAX_BANKS = 8;

    /** Builds the launch options from the form: production defaults in the app, quicker ones in tests. */
    public interface LaunchPlan {
        LaunchOptions options(int banks, Path dataDir, boolean separateDataServers, boolean processes);

        LaunchPlan DEFAULT = (banks, dir, separate, processes) -> LaunchOptions.builder().banks(banks).dataDir(dir)
                .separateDataServers(separate).processes(processes).build();
    }

    private final UiTasks tasks;
    private final RecentConsortiums recent;
    private final LaunchPlan plan;
    private final Consumer<ConsortiumConnection> onConnected;

    private final IntegerProperty banks = new SimpleIntegerProperty(4);
    private final StringProperty dataDir = new SimpleStringProperty(LaunchOptions.DEFAULT_DATA_DIR.toString());
    private final BooleanProperty separateDataServers = new SimpleBooleanProperty(false);
    private final BooleanProperty processes = new SimpleBooleanProperty(false);
    private final StringProperty urls = new SimpleStringProperty("");
    private final StringProperty operatorToken = new SimpleStringProperty("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    /** The remembered consortiums, newest first; the view shows {@link #recentLabels()}, in the same order. */
    private final List<RecentConsortiums.Entry> recentList = new java.util.ArrayList<>();
    private final ObservableList<String> recentLabels = FXCollections.observableArrayList();
    private final BooleanBinding launchValid;
    private final BooleanBinding connectValid;

    public StartViewModel(UiTasks tasks, RecentConsortiums recent, LaunchPlan plan,
                          Consumer<ConsortiumConnection> onConnected) {
        this.tasks = tasks;
        this.recent = recent;
        this.plan = plan;
        this.onConnected = onConnected;
        launchValid = Bindings.createBooleanBinding(() -> banks.get() >= MIN_BANKS && banks.get() <= MAX_BANKS
                && !dataDir.get().isBlank(), banks, dataDir);
        connectValid = Bindings.createBooleanBinding(() -> !urlList().isEmpty() && urlList().stream()
                .allMatch(u -> u.matches("https?://[^\\s/]+(:\\d+)?/?")), urls);
        showRecent(recent.list());
    }

    public IntegerProperty banksProperty() {
        return banks;
    }

    public StringProperty dataDirProperty() {
        return dataDir;
    }

    public BooleanProperty separateDataServersProperty() {
        return separateDataServers;
    }

    public BooleanProperty processesProperty() {
        return processes;
    }

    public StringProperty urlsProperty() {
        return urls;
    }

    public StringProperty operatorTokenProperty() {
        return operatorToken;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The remembered consortiums, newest first. */
    public List<RecentConsortiums.Entry> recent() {
        return List.copyOf(recentList);
    }

    /** What the list of recent consortiums shows, one line each. */
    public ObservableList<String> recentLabels() {
        return recentLabels;
    }

    private void showRecent(List<RecentConsortiums.Entry> entries) {
        recentList.clear();
        recentList.addAll(entries);
        recentLabels.setAll(entries.stream().map(RecentConsortiums.Entry::label).toList());
    }

    /** Fills the form from the {@code index}th line of {@link #recentLabels()}. */
    public void use(int index) {
        if (index >= 0 && index < recentList.size()) {
            use(recentList.get(index));
        }
    }

    public BooleanBinding launchValidProperty() {
        return launchValid;
    }

    public BooleanBinding connectValidProperty() {
        return connectValid;
    }

    /** The URLs typed, one per line or separated by commas or spaces. */
    public List<String> urlList() {
        return Arrays.stream(urls.get().split("[\\s,]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Fills the form from a recent entry (the person then launches or connects). */
    public void use(RecentConsortiums.Entry e) {
        if (e.kind() == RecentConsortiums.Entry.Kind.LOCAL) {
            banks.set(Math.max(MIN_BANKS, Math.min(MAX_BANKS, e.banks())));
            dataDir.set(e.dataDir());
            separateDataServers.set(e.separateDataServers());
            processes.set(e.processes());
        } else {
            urls.set(String.join("\n", e.urls()));
        }
    }

    /** Starts (or resumes) the consortium of the form; on success hands it to the app. */
    public void launch() {
        if (busy.get() || !launchValid.get()) {
            return;
        }
        int n = banks.get();
        Path dir = Path.of(dataDir.get().strip());
        boolean separate = separateDataServers.get();
        boolean procs = processes.get();
        begin("Starting " + n + " banks...");
        tasks.run(() -> EmbeddedConsortium.launch(plan.options(n, dir, separate, procs)), c -> {
            remember(new RecentConsortiums.Entry(RecentConsortiums.Entry.Kind.LOCAL, n, dir.toString(), separate, procs,
                    List.of(), System.currentTimeMillis()));
            finish(c);
        }, this::fail);
    }

    /** Connects to the banks at the typed URLs. */
    public void connect() {
        if (busy.get() || !connectValid.get()) {
            return;
        }
        List<String> list = urlList();
        String token = operatorToken.get();
        begin("Connecting to " + list.size() + (list.size() == 1 ? " bank..." : " banks..."));
        tasks.run(() -> RemoteConsortium.connect(list, token), c -> {
            remember(new RecentConsortiums.Entry(RecentConsortiums.Entry.Kind.REMOTE, c.banks().size(), null, false, false,
                    list, System.currentTimeMillis()));
            finish(c);
        }, this::fail);
    }

    private void begin(String what) {
        busy.set(true);
        error.set("");
        status.set(what);
    }

    private void finish(ConsortiumConnection c) {
        busy.set(false);
        status.set("");
        onConnected.accept(c);
    }

    private void fail(Throwable t) {
        busy.set(false);
        status.set("");
        error.set(Errors.describe(t));
    }

    private void remember(RecentConsortiums.Entry e) {
        showRecent(recent.remember(e));
    }
}
