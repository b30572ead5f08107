package org.distribank.bank.execution;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.distribank.bank.account.Account;
import org.distribank.bank.account.AccountDirectory;
import org.distribank.bank.peer.AppliedTracker;
import org.distribank.bank.peer.PeerBankClient;
import org.distribank.bank.pix.PixDirectory;
import org.distribank.bank.pix.PixEntry;
import org.distribank.bank.pix.PixKey;
import org.distribank.bank.session.Session;
import org.distribank.bank.execution.TransferRequest.LegRequest;
import org.distribank.common.StrictJson;
import org.distribank.consortium.ConsortiumException;
import org.distribank.consortium.ConsortiumNode;
import org.distribank.consortium.OperationTooLargeException;
import org.distribank.consortium.PeerOfflineException;
import org.distribank.consortium.entity.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns customer and operator requests (typed: parsed and checked for form by the api layer) into operations in
 * the total order and waits (bounded) for their outcome; answers typed results, refuses with {@link Refused}. A client hears COMMITTED only once every bank holding one of its legs has written it durably to its
 * data server (so any bank's balance or statement read afterwards shows it); before that, PENDING.
 * Idempotency: the client's {@code id} is the operation id; a fingerprint of the canonical request travels in
 * the payload, so the same id with another body is a 409 at any bank that knows the id.
 */
public final class TransactionService {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionService.class);
    public static final int MAX_LEGS = 100;
    /** Far above what a bank orders in one answer wait (bench bank: ~64 clients); a bound, not a tuning knob. */
    public static final long DEFAULT_MAX_IN_FLIGHT = 100_000;

    private record InFlight(String fingerprint, String cpf) {
    }

    private final String self;
    private final ConsortiumNode node;
    private final BankMachine machine;
    private final DecisionWaiters waiters;
    private final Applier applier;
    private final PeerBankClient peers;
    private final AppliedTracker remoteApplied;
    private final AccountDirectory accounts;
    private final PixDirectory pix;
    private final long answerWaitMs;
    /**
     * Money operations submitted here and not yet decided, with their fingerprint (a retry with another body is a
     * 409) and requester (GET is theirs only). Removed at the decision (also after a 202); bounded by
     * {@link #maxInFlight}, beyond which new operations are refused (429) until decisions drain it.
     */
    private final ConcurrentHashMap<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final long maxInFlight;

    public TransactionService(String self, ConsortiumNode node, BankMachine machine, DecisionWaiters waiters,
                              Applier applier, PeerBankClient peers, AppliedTracker remoteApplied, AccountDirectory accounts,
                              PixDirectory pix, long answerWaitMs) {
        this(self, node, machine, waiters, applier, peers, remoteApplied, accounts, pix, answerWaitMs,
                DEFAULT_MAX_IN_FLIGHT);
    }

    /** {@code maxInFlight}: money operations waiting for a decision at once, beyond which new ones get a 429. */
    public TransactionService(String self, ConsortiumNode node, BankMachine machine, DecisionWaiters waiters,
                              Applier applier, PeerBankClient peers, AppliedTracker remoteApplied, AccountDirectory accounts,
                              PixDirectory pix, long answerWaitMs, long maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        this.maxInFlight = maxInFlight;
        machine.onDecided((id, d) -> inFlight.remove(id)); // the 202 paths leave entries: the decision ends them
        this.self = self;
        this.node = node;
        this.machine = machine;
        this.waiters = waiters;
        this.applier = applier;
        this.peers = peers;
        this.remoteApplied = remoteApplied;
        this.accounts = accounts;
        this.pix = pix;
        this.answerWaitMs = answerWaitMs;
    }

    // ------------------------------------------------------------------ money

    /** {@code POST /api/v1/deposits}. */
    public TransactionResult deposit(Session s, DepositRequest r) {
        return cash(s, OperationKind.DEPOSIT, r.id(), r.account(), r.amount());
    }

    /** {@code POST /api/v1/withdrawals}. */
    public TransactionResult withdraw(Session s, WithdrawalRequest r) {
        return cash(s, OperationKind.WITHDRAWAL, r.id(), r.account(), r.amount());
    }

    private TransactionResult cash(Session s, OperationKind kind, String clientId, String account, long amount) {
        String id = clientId == null ? UUID.randomUUID().toString() : clientId;
        ownAccount(s, account);
        AccountRef ref = new AccountRef(self, account);
        Leg leg = kind == OperationKind.DEPOSIT ? new Leg(null, ref, null, amount) : new Leg(ref, null, null, amount);
        JsonObject canonical = new JsonObject();
        canonical.addProperty("kind", kind.name());
        canonical.addProperty("cpf", s.cpf());
        canonical.addProperty("account", account);
        canonical.addProperty("amount", amount);
        String fp = fingerprint(canonical);
        return run(id, fp, s.cpf(), BankOperation.movement(kind, s.cpf(), fp, List.of(leg)));
    }

    /** {@code POST /api/v1/transfers}. */
    public TransactionResult transfer(Session s, TransferRequest r) {
        String id = r.id() == null ? UUID.randomUUID().toString() : r.id();
        List<Leg> legs = new ArrayList<>();
        JsonArray canonicalLegs = new JsonArray();
        for (int i = 0; i < r.legs().size(); i++) {
            LegRequest l = r.legs().get(i);
            AccountRef from = new AccountRef(bank(l.from().bank()), l.from().account());
            AccountRef to;
            String key = l.to().pixKey();
            JsonObject canonicalTo = new JsonObject();
            if (key != null) {
                int legIndex = i;
                PixEntry e = pix.get(key).orElseThrow(() -> new Refused(Refused.Kind.NOT_FOUND, "PIX_KEY_NOT_FOUND",
                        "Leg " + legIndex + ": no account has the PIX key " + key + "."));
                to = new AccountRef(e.bank(), e.account());
                canonicalTo.addProperty("pixKey", key);
            } else {
                to = new AccountRef(bank(l.to().bank()), l.to().account());
                canonicalTo.addProperty("bank", to.bank());
                canonicalTo.addProperty("account", to.account());
            }
            long amount = l.amount();
            if (from.equals(to)) {
                throw new Refused(Refused.Kind.INVALID, "SAME_ACCOUNT", "Leg " + i + " pays an account into itself.");
            }
            String consent = null;
            if (from.bank().equals(self)) {
                ownAccount(s, from.account());
            } else {
                // API.md v1.1: another bank's account is payable here only through a consent it gave, linked here
                int legIndex = i;
                consent = machine.consents().forDebit(self, s.cpf(), from.bank(), from.account(), machine.now())
                        .orElseThrow(() -> new Refused(Refused.Kind.FORBIDDEN, BankMachine.NO_CONSENT, "Leg "
                                + legIndex + ": account " + from.account() + " of bank " + from.bank()
                                + " is not linked here with a live consent; ask that bank for one and link it first."));
            }
            legs.add(new Leg(from, to, key, amount, consent));
            JsonObject cl = new JsonObject();
            cl.addProperty("from", from.toString());
            cl.add("to", canonicalTo);
            cl.addProperty("amount", amount);
            canonicalLegs.add(cl);
        }
        JsonObject canonical = new JsonObject();
        canonical.addProperty("kind", OperationKind.TRANSFER.name());
        canonical.addProperty("cpf", s.cpf());
        canonical.add("legs", canonicalLegs);
        String fp = fingerprint(canonical);
        return run(id, fp, s.cpf(), BankOperation.movement(OperationKind.TRANSFER, s.cpf(), fp, legs));
    }

    /** {@code GET /api/v1/transactions/{id}}: only the requester sees it, by the id they chose. */
    public TransactionResult get(Session s, String clientId) {
        return getScoped(s, scopedId(s.cpf(), clientId)).withId(clientId);
    }

    private TransactionResult getScoped(Session s, String id) {
        Optional<DecidedOperation> d = machine.decided(id);
        if (d.isPresent() && d.get().operation() != null && s.cpf().equals(d.get().operation().cpf())
                && d.get().operation().movesMoney()) {
            return finish(id, d.get());
        }
        InFlight f = inFlight.get(id);
        if (d.isEmpty() && f != null && f.cpf().equals(s.cpf())) {
            return pending(id);
        }
        if (d.isEmpty()) {
            // after a restart: in this bank's log and hold-back queue, undecided; it may still commit
            Optional<BankOperation> logged = node.inFlight(id).flatMap(BankOperation::parse);
            if (logged.isPresent() && s.cpf().equals(logged.get().cpf()) && logged.get().movesMoney()) {
                return pending(id);
            }
        }
        throw new Refused(Refused.Kind.NOT_FOUND, "TRANSACTION_NOT_FOUND", "No transaction " + clientPart(id)
                + " of yours is known here.");
    }

    /**
     * The operation id of a client's id: {@code <client id>@<24 hex of SHA-256(cpf, client id)>}. Client ids are
     * chosen by clients and the order is consortium-wide, so an id taken first by someone else would make the
     * owner's request a 409; scoped to the requester, two customers never share one. The origin bank is left out
     * on purpose: the same person retrying at another bank must reach the same operation (API.md idempotency).
     * '@' is not allowed in a client id, so no client id looks like a scoped one.
     */
    public static String scopedId(String cpf, String clientId) {
        String digest = fingerprint(cpf + "\n" + clientId);
        return clientId + "@" + digest.substring(0, 24);
    }

    /**
     * The client's id within an operation id (the part before the scope; an unscoped id as it is): what a
     * customer, a statement or the desktop app shows. The scope keeps two customers' ids apart in the order; a
     * person reading a statement or following a transfer knows it by the id its payer chose.
     */
    public static String clientPart(String opId) {
        int at = opId.indexOf('@');
        return at > 0 ? opId.substring(0, at) : opId;
    }

    /** The answer as the client sees it: its own id, not the scoped operation id. */
    private TransactionResult run(String clientId, String fp, String cpf, BankOperation op) {
        return runScoped(scopedId(cpf, clientId), fp, cpf, op).withId(clientId);
    }

    private TransactionResult runScoped(String id, String fp, String cpf, BankOperation op) {
        Optional<DecidedOperation> known = machine.decided(id);
        if (known.isPresent()) {
            checkSame(id, fp, known.get());
            return finish(id, known.get());
        }
        InFlight mine = new InFlight(fp, cpf);
        InFlight prev = inFlight.get(id);
        if (prev == null) {
            if (inFlight.mappingCount() >= maxInFlight) {
                throw new Refused(Refused.Kind.TOO_MANY, "TOO_MANY_IN_FLIGHT", "This bank has " + maxInFlight
                        + " operations waiting for the consortium; try again shortly.", null, 1);
            }
            prev = inFlight.putIfAbsent(id, mine);
        }
        if (prev != null && !prev.fingerprint().equals(fp)) {
            throw conflict(id);
        }
        // decided between the first look and the entry (a concurrent retry): the decision's listener has run
        known = machine.decided(id);
        if (known.isPresent()) {
            inFlight.remove(id, mine);
            checkSame(id, fp, known.get());
            return finish(id, known.get());
        }
        CompletableFuture<Outcome> f;
        long t0 = System.nanoTime();
        try {
            f = node.submit(id, op.toJson());
        } catch (PeerOfflineException e) {
            // a retry of an operation already in flight: its status, never a refusal (the first attempt may commit)
            if (prev != null || loggedHere(id, fp)) {
                return pending(id);
            }
            inFlight.remove(id, mine);
            throw offline(e);
        } catch (OperationTooLargeException e) {
            if (prev == null) {
                inFlight.remove(id, mine);
            }
            throw tooLarge(e);
        } catch (ConsortiumException e) {
            // the node is not running: nothing of this attempt was ordered; an earlier attempt may have been
            if (prev != null) {
                return pending(id);
            }
            inFlight.remove(id, mine);
            throw new Refused(Refused.Kind.UNAVAILABLE, "NOT_ORDERED", "This bank is not taking operations now ("
                    + e.getMessage() + "); nothing was ordered: retry with the same id.", clientPart(id), 1);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(answerWaitMs);
        try {
            f.get(answerWaitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return pending(id);
        } catch (ExecutionException e) {
            // the node stopped (closed, killed, fail-stop) while this waited: the operation may be in the log and
            // at the other banks, and commit later; so it is PENDING (GET finds it after a restart), never
            // "not ordered". The entry stays until a decision or the bound's refusal
            LOG.info("{}: the node stopped while {} waited ({}); answered PENDING", self, id,
                    e.getCause() == null ? e : e.getCause().getMessage());
            return pending(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return pending(id);
        }
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        Optional<DecidedOperation> d = waiters.await(id, left);
        long t2 = System.nanoTime();
        if (d.isEmpty()) {
            return pending(id);
        }
        inFlight.remove(id, mine);
        checkSame(id, fp, d.get());
        TransactionResult a = finish(id, d.get(), TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        if (LOG.isDebugEnabled()) {
            long t3 = System.nanoTime();
            LOG.debug("timing {}: ordered and decided {} us, then durable at every leg bank {} us", id, (t2 - t0) / 1000,
                    (t3 - t2) / 1000);
        }
        return a;
    }

    /**
     * Whether {@code id} is in this node's log, undecided (an attempt before a restart): the same body is that
     * operation (true), another body is a 409.
     */
    private boolean loggedHere(String id, String fp) {
        Optional<BankOperation> logged = node.inFlight(id).flatMap(BankOperation::parse);
        if (logged.isEmpty()) {
            return false;
        }
        if (!fp.equals(logged.get().fingerprint())) {
            throw conflict(id);
        }
        return true;
    }

    /** Operations this service waits on or answered PENDING for, undecided (bounded: {@link #maxInFlight}). */
    public long inFlightCount() {
        return inFlight.mappingCount();
    }

    private static void checkSame(String id, String fp, DecidedOperation d) {
        if (d.operation() == null || !fp.equals(d.operation().fingerprint())) {
            throw conflict(id);
        }
    }

    private TransactionResult finish(String id, DecidedOperation d) {
        return finish(id, d, answerWaitMs);
    }

    /**
     * COMMITTED/ABORTED once every leg bank has written it durably; PENDING while one has not yet. A leg
     * bank has it durably once its applied position reaches the operation's delivery position (positions are
     * the same at every bank); the other banks' positions come from {@link AppliedTracker}.
     */
    private TransactionResult finish(String id, DecidedOperation d, long waitMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(waitMs, 200));
        Set<String> banks = d.operation().legBanks();
        if (d.outcome().committed()) {
            for (String bank : banks) {
                long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                long s0 = System.nanoTime();
                boolean ok = bank.equals(self) ? applier.awaitApplied(d.outcome().position(), left)
                        : remoteApplied.awaitApplied(bank, d.outcome().position(), left);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("timing {}: durable at {} after {} us", id, bank, (System.nanoTime() - s0) / 1000);
                }
                if (!ok) {
                    return pending(id);
                }
            }
        }
        return TransactionResult.of(d.outcome());
    }

    private TransactionResult pending(String id) {
        Optional<DecidedOperation> d = machine.decided(id);
        return new TransactionResult(id, TransactionResult.Status.PENDING, null, null,
                new TransactionResult.Order(d.map(x -> x.outcome().origin()).orElse(self),
                        d.map(x -> TransactionResult.clock(x.outcome())).orElse(null)), null);
    }

    // ------------------------------------------------------------------ PIX

    /** Orders a key registration; the key is unique consortium-wide (409 when taken anywhere). */
    public PixEntry registerPix(Session s, String account, PixKey key, String holderName) {
        Account a = ownAccount(s, account);
        if (pix.contains(key.value())) {
            throw new Refused(Refused.Kind.CONFLICT, "PIX_KEY_TAKEN",
                    "This PIX key is already registered in the consortium.");
        }
        // checked here so nothing is ordered, and again in the vote (BankMachine) against racing registrations
        if (pix.countOf(self, account) >= a.maxPixKeys()) {
            throw pixLimit(a);
        }
        AccountRef ref = new AccountRef(self, account);
        String fp = fingerprint(jsonOf("PIX_REGISTER", s.cpf(), key.value(), ref));
        String masked = org.distribank.bank.pix.PixDirectory.mask(holderName);
        Outcome o = order("pix-" + UUID.randomUUID(), BankOperation.pixRegister(s.cpf(), fp, key.value(), key.type(),
                ref, masked));
        if (!o.committed()) {
            throw pixRefusal(o);
        }
        return new PixEntry(key.value(), key.type(), self, account, masked);
    }

    public void removePix(Session s, String key) {
        PixEntry e = pix.get(key).orElseThrow(() -> new Refused(Refused.Kind.NOT_FOUND, "PIX_KEY_NOT_FOUND",
                "No account has this PIX key."));
        if (!e.bank().equals(self) || accounts.get(e.account()).map(a -> !a.managesKeys(s.cpf())).orElse(true)) {
            throw new Refused(Refused.Kind.FORBIDDEN, "NOT_YOUR_KEY", "This PIX key is not one of yours at this bank.");
        }
        AccountRef ref = new AccountRef(self, e.account());
        String fp = fingerprint(jsonOf("PIX_REMOVE", s.cpf(), key, ref));
        Outcome o = order("pix-" + UUID.randomUUID(), BankOperation.pixRemove(s.cpf(), fp, key, ref));
        if (!o.committed()) {
            throw pixRefusal(o);
        }
    }

    private static JsonObject jsonOf(String kind, String cpf, String key, AccountRef ref) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", kind);
        o.addProperty("cpf", cpf);
        o.addProperty("key", key);
        o.addProperty("account", ref.toString());
        return o;
    }

    private static Refused pixLimit(Account a) {
        return new Refused(Refused.Kind.CONFLICT, BankMachine.PIX_KEY_LIMIT, "This account already has " + a.maxPixKeys()
                + " PIX keys, the most a " + a.type().name().toLowerCase(java.util.Locale.ROOT)
                + " account may have: remove one first.");
    }

    private Refused pixRefusal(Outcome o) {
        String code = Reason.parse(o.reason()).code();
        return switch (code == null ? "" : code) {
            case BankMachine.PIX_KEY_LIMIT -> new Refused(Refused.Kind.CONFLICT, code,
                    "The account reached its number of PIX keys (5 for a person, 20 for a company): remove one first.");
            case BankMachine.PIX_KEY_TAKEN -> new Refused(Refused.Kind.CONFLICT, code,
                    "This PIX key is already registered in the consortium.");
            case BankMachine.NOT_A_HOLDER -> new Refused(Refused.Kind.FORBIDDEN, code, "This account is not yours.");
            case BankMachine.ACCOUNT_NOT_FOUND, BankMachine.PIX_KEY_NOT_FOUND -> new Refused(Refused.Kind.NOT_FOUND,
                    code, "The account or key no longer exists.");
            default -> new Refused(Refused.Kind.INVALID, code.isEmpty() ? "REFUSED" : code,
                    "The consortium refused it: " + code);
        };
    }

    /** Orders an operation of a customer's that moves no money (a consent's grant, revocation or link). */
    public Outcome orderOwn(String id, BankOperation op) {
        return order(id, op);
    }

    /** Submits an operation of the bank's own (PIX, audit) and waits for its outcome and local application. */
    private Outcome order(String id, BankOperation op) {
        try {
            Outcome o = node.submit(id, op.toJson()).get(answerWaitMs, TimeUnit.MILLISECONDS);
            applier.awaitApplied(o.position(), answerWaitMs);
            return o;
        } catch (PeerOfflineException e) {
            throw offline(e);
        } catch (OperationTooLargeException e) {
            throw tooLarge(e);
        } catch (ConsortiumException e) {
            throw new Refused(Refused.Kind.UNAVAILABLE, "NOT_ORDERED", "This bank is not taking operations now ("
                    + e.getMessage() + "); nothing was ordered.", id, 1);
        } catch (TimeoutException e) {
            throw new Refused(Refused.Kind.UNAVAILABLE, "STILL_PENDING",
                    "The consortium has not decided it yet; look again shortly.", id, 1);
        } catch (ExecutionException e) {
            // the node stopped while this waited: the operation may be ordered and decided later
            throw new Refused(Refused.Kind.UNAVAILABLE, "OUTCOME_UNKNOWN", "This bank stopped before the "
                    + "consortium decided operation " + id + "; it may still take effect: look again once the bank "
                    + "is back.", id, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(Refused.Kind.UNAVAILABLE, "INTERRUPTED", "Interrupted while waiting for the consortium.");
        }
    }

    // ------------------------------------------------------------------ audits

    /** {@code POST /api/v1/audits}: an AUDIT in the total order; every bank's total at its position. */
    public AuditResult audit() {
        String id = "audit-" + UUID.randomUUID();
        Outcome o = order(id, BankOperation.audit());
        Map<String, Long> perBank = new LinkedHashMap<>();
        Map<String, Long> dataServers = new LinkedHashMap<>();
        List<String> discrepancies = new ArrayList<>();
        long total = 0;
        Set<String> retired = machine.retiredBanks();
        List<String> banks = node.view().view().banks();
        for (String bank : machine.peerIds()) {
            if (retired.contains(bank) || !banks.contains(bank)) {
                continue; // it left empty, or has not joined yet: no money of the consortium's is there
            }
            // each bank's figure in memory, reconciled by its applier with its data server's total at the position
            Optional<Applier.AuditCheck> c = bank.equals(self)
                    ? machine.audit(id).map(f -> applier.awaitAuditCheck(id, f.position(), f.total(), answerWaitMs))
                    : peers.audit(bank, id, answerWaitMs);
            if (c.isEmpty()) {
                throw new Refused(Refused.Kind.UNAVAILABLE, "BANK_OFFLINE", "Bank " + bank
                        + " did not report its total for audit " + id + ".");
            }
            perBank.put(bank, c.get().memoryTotal());
            total += c.get().memoryTotal();
            if (c.get().dataServerTotal() != null) {
                dataServers.put(bank, c.get().dataServerTotal());
            }
            if (!c.get().reconciled()) {
                discrepancies.add(bank + ": " + c.get().problem());
            }
        }
        return new AuditResult(id, total, perBank, o.position(), dataServers, discrepancies.isEmpty(), discrepancies);
    }

    // ------------------------------------------------------------------ input helpers

    private String bank(String bank) {
        if (!machine.peerIds().contains(bank)) {
            throw new Refused(Refused.Kind.NOT_FOUND, "BANK_NOT_FOUND", "There is no bank " + bank
                    + " in the consortium.");
        }
        if (machine.retiredBanks().contains(bank)) {
            throw retired(bank);
        }
        if (!node.view().view().banks().contains(bank)) {
            // a slot for a bank an operator adds later: until a view adds it, it votes on nothing, so a leg there
            // would be judged by its origin alone (money credited to accounts nobody holds); once added, it stays
            throw new Refused(Refused.Kind.UNAVAILABLE, "BANK_OFFLINE", "Bank " + bank + " has not joined the "
                    + "consortium yet.");
        }
        return bank;
    }

    private static Refused retired(String bank) {
        return new Refused(Refused.Kind.CONFLICT, BankMachine.BANK_RETIRED, "Bank " + bank + " has retired from the "
                + "consortium: it holds no accounts any more.");
    }

    // ------------------------------------------------------------------ retiring this bank

    /**
     * The operator's retire-bank: a RETIRE_BANK of this bank in the total order, which this bank votes YES on only
     * with every account at zero and nothing held. COMMITTED: every bank drops it, and the members' next view
     * leaves it out of the consortium. Refused ({@code 409 ACCOUNTS_NOT_EMPTY}) otherwise, changing nothing.
     */
    public Outcome retireThisBank() {
        if (machine.retiredBanks().contains(self)) {
            throw retired(self);
        }
        Outcome o = order("retire-" + self + "-" + UUID.randomUUID(), BankOperation.retireBank());
        if (!o.committed()) {
            String code = Reason.parse(o.reason()).code();
            if (BankMachine.ACCOUNTS_NOT_EMPTY.equals(code)) {
                throw new Refused(Refused.Kind.CONFLICT, code, "Bank " + self + " cannot retire: an account still "
                        + "holds money, or an operation in flight holds some. Empty every account first; nothing "
                        + "was changed.", o.id(), null);
            }
            throw new Refused(Refused.Kind.UNAVAILABLE, code == null ? "NOT_RETIRED" : code, "The consortium did "
                    + "not retire bank " + self + " (" + o.reason() + "); nothing was changed: try again.", o.id(), 1);
        }
        return o;
    }

    private Account ownAccount(Session s, String account) {
        // an unknown account and someone else's are answered alike (no probing)
        return accounts.get(account).filter(a -> a.payableBy(s.cpf())).orElseThrow(() -> noSuchAccount(account));
    }

    /** The same words as the account routes' 404 (AccountService.noSuchAccount). */
    public static Refused noSuchAccount(String account) {
        return new Refused(Refused.Kind.NOT_FOUND, "ACCOUNT_NOT_FOUND", "You have no account " + account
                + " at this bank.");
    }

    private static String fingerprint(JsonObject canonical) {
        return fingerprint(StrictJson.GSON.toJson(canonical));
    }

    private static String fingerprint(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Refused conflict(String id) {
        return new Refused(Refused.Kind.CONFLICT, "IDEMPOTENCY_CONFLICT",
                "The id " + clientPart(id) + " was already used for a different request.");
    }

    /** An operation no link frame could carry: refused before it was ordered (413). */
    public static Refused tooLarge(OperationTooLargeException e) {
        return new Refused(Refused.Kind.TOO_LARGE, "OPERATION_TOO_LARGE", "The operation is too large for the "
                + "consortium's links (" + e.bytes() + " bytes, at most " + e.limit() + "); split it. Nothing was "
                + "ordered.");
    }

    public static Refused offline(PeerOfflineException e) {
        return new Refused(Refused.Kind.UNAVAILABLE, "BANK_OFFLINE", "Bank " + e.peerId() + " is offline: new operations wait until "
                + "it is back (offline: " + String.join(", ", e.offlinePeers()) + ").");
    }
}
