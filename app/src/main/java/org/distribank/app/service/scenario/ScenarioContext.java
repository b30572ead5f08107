package org.distribank.app.service.scenario;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.AccountView;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.ConsortiumSnapshot;
import org.distribank.app.client.CustomerClient;
import org.distribank.app.client.HolderForm;
import org.distribank.app.client.OperatorClient;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.service.ConsortiumConnection;
import org.distribank.bank.identity.Cpf;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a scenario's steps work with: the consortium, the run's customers and operations (named by a label, e.g.
 * "T1", unique per run so a scenario runs again and after the others), its events, and what to undo at a reset.
 */
public final class ScenarioContext {

    /** A customer of one bank with a personal account there, signed in. */
    public record Party(String name, CustomerClient session, AccountRef account, String username, String password) {
        public String bank() {
            return account.bank();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioContext.class);

    private final ConsortiumConnection connection;
    private final ScenarioEvents events;
    private final ExecutorService background;
    private final String run;
    private final Map<String, Party> parties = new ConcurrentHashMap<>();
    private final Map<String, String> ids = new ConcurrentHashMap<>();
    private final Map<String, CustomerClient> origins = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<TransactionResult>> answers = new ConcurrentHashMap<>();
    private final Map<String, Object> notes = new ConcurrentHashMap<>();
    private final Deque<Runnable> undo = new ArrayDeque<>();

    ScenarioContext(ConsortiumConnection connection, ScenarioEvents events, ExecutorService background, String run) {
        this.connection = connection;
        this.events = events;
        this.background = background;
        this.run = run;
    }

    /** Bank {@code i} of the consortium (0: the first), as the scenarios' A, B and C. */
    public String bank(int i) {
        return connection.banks().get(i).id();
    }

    // ---- customers and operations

    /** Opens a PERSONAL account at {@code bank} for a new person of this run, funded with {@code cents} (may be 0). */
    public Party open(String bank, String name, long cents) {
        String user = "sc-" + run + "-" + name.toLowerCase(java.util.Locale.ROOT);
        String password = "scenario-" + run;
        String cpf = Cpf.withCheckDigits(String.format("%09d",
                ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999))).formatted();
        CustomerClient c = connection.customer(bank);
        AccountView a = c.openPersonal(new HolderForm(name, cpf, user, password, null, null));
        c.signIn(user, password);
        Party p = new Party(name, c, a.ref(), user, password);
        parties.put(name, p);
        if (cents > 0) {
            TransactionResult r = c.deposit(id("deposit " + name), a.account(), cents);
            if (!r.committed()) {
                throw new ScenarioException(name + "'s deposit at " + bank + " was not committed: " + r.status()
                        + (r.reason() == null ? "" : " " + r.reason()) + ".");
            }
        }
        return p;
    }

    public Party party(String name) {
        return Optional.ofNullable(parties.get(name))
                .orElseThrow(() -> new ScenarioException("No customer " + name + " in this run."));
    }

    /** The operation id of {@code label} in this run (made, and its events followed, on first use). */
    public String id(String label) {
        return ids.computeIfAbsent(label, l -> {
            String id = l.replaceAll("[^A-Za-z0-9]+", "-") + "-" + run;
            events.follow(id);
            return id;
        });
    }

    /**
     * Submits transfer {@code label} at {@code from}'s bank without waiting for its answer (an answer may take long,
     * or be 202 PENDING: the steps wait on events and states instead).
     */
    public CompletableFuture<TransactionResult> transfer(String label, Party from, List<TransferLeg> legs) {
        String id = id(label);
        origins.put(label, from.session());
        CompletableFuture<TransactionResult> f = CompletableFuture.supplyAsync(
                () -> from.session().transfer(id, legs), background);
        answers.put(label, f);
        return f;
    }

    /** The outcome of {@code label} as its origin tells it now (PENDING until decided and durable). */
    public TransactionResult outcome(String label) {
        CustomerClient c = origins.get(label);
        if (c == null) {
            throw new ScenarioException("No transfer " + label + " in this run.");
        }
        CompletableFuture<TransactionResult> f = answers.get(label);
        if (f != null && f.isDone() && !f.isCompletedExceptionally() && !f.join().pending()) {
            return f.join();
        }
        return c.transaction(id(label));
    }

    /** The balance of {@code name}'s account, in cents. */
    public long balance(String name) {
        Party p = party(name);
        try {
            return p.session().account(p.account().account()).balance();
        } catch (BankApiException e) {
            if (e.status() != 401) {
                throw e;
            }
            // sessions live in the bank's memory: after a restart the customer signs in again
            p.session().signIn(p.username(), p.password());
            return p.session().account(p.account().account()).balance();
        }
    }

    /** A value a step keeps for a later one (a clock, an epoch). */
    public void note(String key, Object value) {
        notes.put(key, value);
    }

    @SuppressWarnings("unchecked")
    public <T> T noted(String key) {
        return (T) notes.get(key);
    }

    // ---- faults, each undone at a reset

    /** Sets {@code from}'s outbound link to {@code to}: UP, CUT or SLOW with {@code delayMs}. */
    public void link(String from, String to, String state, long delayMs) {
        operator(from).setLink(to, state, delayMs);
        if (!"UP".equals(state)) {
            onReset(() -> {
                if (connection.bankRunning(from)) {
                    operator(from).setLink(to, "UP", 0);
                }
            });
        }
    }

    /** Kills bank {@code id} (a reset restarts it if still down). */
    public void kill(String id) {
        connection.killBank(id);
        onReset(() -> {
            if (!connection.bankRunning(id)) {
                restart(id);
            }
        });
    }

    public void restart(String id) {
        try {
            connection.restartBank(id);
        } catch (Exception e) {
            throw new ScenarioException("Bank " + id + " did not start again: " + e.getMessage(), e);
        }
    }

    public boolean running(String id) {
        return connection.bankRunning(id);
    }

    private void onReset(Runnable r) {
        synchronized (undo) {
            undo.push(r);
        }
    }

    /** Undoes the faults in reverse order; each failure is logged and the rest still undone. */
    void undo() {
        while (true) {
            Runnable r;
            synchronized (undo) {
                r = undo.poll();
            }
            if (r == null) {
                return;
            }
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("scenario reset: {}", e.getMessage());
            }
        }
    }

    // ---- what the banks and the events say

    public OperatorClient operator(String bank) {
        return connection.operator(bank)
                .orElseThrow(() -> new ScenarioException("Scenarios need the operator token of " + bank + "."));
    }

    /** Bank {@code bank}'s view of the consortium (its clock, queue, view). */
    public ConsortiumSnapshot view(String bank) {
        return operator(bank).consortium();
    }

    public List<ProtocolEvent> events() {
        return events.snapshot();
    }

    /** The first event of {@code type} at {@code bank} for operation {@code label}, if seen. */
    public Optional<ProtocolEvent> first(String bank, EventType type, String label) {
        String id = id(label);
        return events().stream().filter(e -> e.self().equals(bank) && e.type() == type && id.equals(e.opId()))
                .findFirst();
    }

    public boolean seen(String bank, EventType type, String label) {
        return first(bank, type, label).isPresent();
    }

    /** The labels of this run's operations in the order bank {@code bank} delivered them. */
    public List<String> delivered(String bank) {
        Map<String, String> labelOf = new java.util.HashMap<>();
        ids.forEach((l, id) -> labelOf.put(id, l));
        return events().stream().filter(e -> e.self().equals(bank) && e.type() == EventType.DELIVER)
                .map(e -> labelOf.get(e.opId())).filter(java.util.Objects::nonNull).distinct().toList();
    }

    ExecutorService background() {
        return background;
    }
}
