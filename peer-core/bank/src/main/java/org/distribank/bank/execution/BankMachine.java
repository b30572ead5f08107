package org.distribank.bank.execution;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.distribank.bank.account.Account;
import org.distribank.bank.account.AccountDirectory;
import org.distribank.bank.consent.Consent;
import org.distribank.bank.consent.ConsentDirectory;
import org.distribank.bank.consent.ConsentTerms;
import org.distribank.bank.ledger.OutcomeRecord;
import org.distribank.bank.ledger.PixKeyCreated;
import org.distribank.bank.ledger.PixKeyDeleted;
import org.distribank.bank.ledger.Posting;
import org.distribank.bank.pix.PixDirectory;
import org.distribank.bank.pix.PixEntry;
import org.distribank.bank.pix.PixKeyType;
import org.distribank.consortium.StateMachine;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.PeerIds;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.Vote;

/**
 * The bank's state machine (BANK.md, "Voting, holds and the applier").
 *
 * <ul>
 *   <li>{@code voters}: a pure function of the payload: the banks owning the legs' accounts; every bank for
 *       PIX_REGISTER (so each bank holds a key being registered and a racing registration is refused
 *       everywhere); the owning bank for PIX_REMOVE; none for AUDIT.</li>
 *   <li>{@code vote}: this bank's legs, in leg order, from its own state; a YES places holds on the debited
 *       amounts, so it never waits for earlier outcomes.</li>
 *   <li>{@code decide}: releases the holds, applies the legs to the in-memory balances (the bank is the only
 *       writer of its accounts and every movement passes through the order, so they stay exact), updates the
 *       PIX directory replica and hands the durable writes, as typed {@link Effects}, to its {@link EffectSink}
 *       (the {@link Applier}, or an in-memory one in a test or a simulator).</li>
 * </ul>
 * All state is rebuilt after a restart from the latest snapshot ({@link #snapshot()}) and the log's replay after it
 * (or from the whole log); callbacks and readers share one monitor and stay short (no I/O but the decided store's
 * forced commit at a snapshot, no thread of its own: it runs on whichever thread calls it). Threads that wait for
 * a decision do so through {@link DecisionWaiters}, told by {@link #onDecided}.
 */
public final class BankMachine implements StateMachine {

    public static final String INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS";
    public static final String ACCOUNT_NOT_FOUND = "ACCOUNT_NOT_FOUND";
    public static final String NOT_A_HOLDER = "NOT_A_HOLDER";
    public static final String PIX_KEY_NOT_FOUND = "PIX_KEY_NOT_FOUND";
    public static final String PIX_KEY_TAKEN = "PIX_KEY_TAKEN";
    public static final String INVALID_KEY = "INVALID_KEY";
    public static final String UNREADABLE = "UNREADABLE_OPERATION";
    public static final String BALANCE_LIMIT = "BALANCE_LIMIT";
    public static final String NO_CONSENT = "NO_CONSENT";
    public static final String CONSENT_LIMIT = "CONSENT_LIMIT";
    public static final String CONSENT_EXPIRED = "CONSENT_EXPIRED";
    public static final String MONEY_SUPPLY_LIMIT = "MONEY_SUPPLY_LIMIT";
    /**
     * The consortium's money (deposits minus withdrawals) never passes 10^18 cents, so no bank's total and no
     * audit's sum comes near Long.MAX_VALUE (9.2 x 10^18): the depositing bank refuses a deposit past it. Its check
     * counts its own deposits in flight, not other banks' (only it votes), so the supply can pass the cap by the
     * deposits other banks have in flight at that instant: at most 10^14 each, and the headroom left (8 x 10^18)
     * is 80,000 of them, more than the hold-back queues hold.
     */
    public static final long DEFAULT_MONEY_SUPPLY_CAP = 1_000_000_000_000_000_000L;
    /** The account already has (or is registering) as many PIX keys as it may: Account.maxPixKeys. */
    public static final String PIX_KEY_LIMIT = "PIX_KEY_LIMIT";
    /** A RETIRE_BANK refused: an account of the bank still holds money, or something is held for an operation. */
    public static final String ACCOUNTS_NOT_EMPTY = "ACCOUNTS_NOT_EMPTY";
    /** An operation touching a bank that is retiring (its RETIRE_BANK voted YES) or retired. */
    public static final String BANK_RETIRED = "BANK_RETIRED";
    /** 10^17 cents: a thousand times the largest movement; sums of all balances stay far below Long.MAX_VALUE. */
    public static final long MAX_BALANCE = 100_000_000_000_000_000L;

    private final String self;
    private final List<String> peerIds;
    private final AccountDirectory accounts;
    private final PixDirectory pix;
    private final EffectSink effects;
    private final PostingIds postingIds;
    private final ConsentDirectory consents;
    private final Clock clock;
    private final long moneySupplyCap;

    private final Map<String, Long> balances = new HashMap<>();
    private final Map<String, Long> holds = new HashMap<>();
    private final Map<String, Map<String, Long>> holdsByOp = new HashMap<>();
    private final Map<String, String> pixHolds = new HashMap<>();
    /** Key → account of this bank, for the held registrations of this bank's accounts (the key limit counts them). */
    private final Map<String, String> pixHoldAccounts = new HashMap<>();
    /** Decided operations and the client-id record: on disk, a bounded cache in the heap (see {@link DecidedStore}). */
    private final DecidedStore decided;
    /** The delivery position of the last decision applied to this machine's state (decisions come in order). */
    private long decidedThrough;
    private final Map<String, AuditFigure> audits = new HashMap<>();
    /** What undecided YES votes of this bank took from consents' remaining limits: per consent, per operation. */
    private final Map<String, Long> consentHolds = new HashMap<>();
    private final Map<String, Map<String, Long>> consentHoldsByOp = new HashMap<>();
    /**
     * Consent grants and revocations this bank voted YES on and that are not yet decided: they decide COMMITTED
     * (this bank is their only voter), and a debit delivered after them is judged as if they were.
     */
    private final Map<String, Consent> grantsVoted = new HashMap<>();
    private final Set<String> revokesVoted = new java.util.HashSet<>();
    /** Deposits minus withdrawals committed consortium-wide (every bank decides every operation). */
    private long moneySupply;
    private final Map<String, Long> depositHoldsByOp = new HashMap<>();
    private long depositsHeld;
    /** Banks whose RETIRE_BANK was COMMITTED: no longer in the consortium (every bank decides it alike). */
    private final Set<String> retired = new java.util.TreeSet<>(PeerIds.COMPARATOR);
    /** The id of this bank's own RETIRE_BANK it voted YES on, undecided: it takes no new work meanwhile. */
    private String retireVoted;
    /** Told of each decision, inside {@code decide} (see {@link #onDecided}). */
    private final List<BiConsumer<String, DecidedOperation>> decidedListeners = new CopyOnWriteArrayList<>();
    /**
     * Payloads parsed at delivery ({@code voters}), reused by {@code vote}/{@code restoreVote}/{@code decide} of the
     * same operation and dropped at {@code decide}; only an identical payload text hits.
     */
    private final Map<String, Parsed> parsedByOp = new ConcurrentHashMap<>();
    private final SharedValues shared = new SharedValues();

    private record Parsed(String payload, Optional<BankOperation> op) {
    }

    public BankMachine(String self, List<String> peerIds, AccountDirectory accounts, PixDirectory pix,
                       EffectSink effects) {
        this(self, peerIds, accounts, pix, effects, PostingIds.BY_POSITION);
    }

    /** {@code postingIds}: how postings are named at the data server (see {@link PostingIds}). */
    public BankMachine(String self, List<String> peerIds, AccountDirectory accounts, PixDirectory pix,
                       EffectSink effects, PostingIds postingIds) {
        this(self, peerIds, accounts, pix, effects, postingIds, new ConsentDirectory(), Clock.systemUTC(),
                DEFAULT_MONEY_SUPPLY_CAP);
    }

    /** Decisions kept in memory only (tests, simulators). */
    public BankMachine(String self, List<String> peerIds, AccountDirectory accounts, PixDirectory pix,
                       EffectSink effects, PostingIds postingIds, ConsentDirectory consents, Clock clock,
                       long moneySupplyCap) {
        this(self, peerIds, accounts, pix, effects, postingIds, consents, clock, moneySupplyCap,
                DecidedStore.inMemory());
    }

    /**
     * {@code clock} judges consents' expiry in this bank's votes (a vote is logged, so replay never judges
     * again); {@code moneySupplyCap} must be the same at every bank.
     */
    public BankMachine(String self, List<String> peerIds, AccountDirectory accounts, PixDirectory pix,
                       EffectSink effects, PostingIds postingIds, ConsentDirectory consents, Clock clock,
                       long moneySupplyCap, DecidedStore decided) {
        this.decided = decided;
        this.consents = consents;
        this.clock = clock;
        this.moneySupplyCap = moneySupplyCap;
        this.postingIds = postingIds;
        this.self = self;
        this.peerIds = List.copyOf(peerIds);
        this.accounts = accounts;
        this.pix = pix;
        this.effects = effects;
    }

    // ------------------------------------------------------------------ StateMachine

    @Override
    public Set<String> voters(Operation op) {
        Optional<BankOperation> parsed = parse(op);
        if (parsed.isEmpty()) {
            return Set.of();
        }
        BankOperation b = parsed.get();
        return switch (b.kind()) {
            case DEPOSIT, WITHDRAWAL, TRANSFER -> keepKnown(b.legBanks());
            case PIX_REGISTER -> new LinkedHashSet<>(peerIds);
            case PIX_REMOVE -> keepKnown(Set.of(b.pixAccount().bank()));
            case AUDIT -> Set.of();
            case RETIRE_BANK -> Set.of(op.origin());
            // the owning bank alone judges a grant or revocation of its account's consent, the grantee a link;
            // each also checks it ordered the operation itself (another bank cannot speak for its customers)
            case CONSENT_GRANT, CONSENT_REVOKE -> keepKnown(Set.of(b.consent().bank()));
            case CONSENT_LINK, CONSENT_UNLINK -> keepKnown(Set.of(b.consent().grantee()));
        };
    }

    private Optional<BankOperation> parse(Operation op) {
        Parsed p = parsedByOp.get(op.id());
        if (p != null && p.payload().equals(op.payload())) {
            return p.op();
        }
        Optional<BankOperation> parsed = BankOperation.parse(op.payload()).map(shared::compact);
        parsedByOp.put(op.id(), new Parsed(op.payload(), parsed));
        return parsed;
    }

    /** A bank that is not a member cannot vote; its legs fail at the origin's check instead (never submitted). */
    private Set<String> keepKnown(Set<String> banks) {
        Set<String> out = new LinkedHashSet<>();
        for (String b : banks) {
            if (peerIds.contains(b)) {
                out.add(b);
            }
        }
        return out;
    }

    @Override
    public synchronized Vote vote(Operation op) {
        Optional<BankOperation> parsed = parse(op);
        if (parsed.isEmpty()) {
            return Vote.no(UNREADABLE);
        }
        BankOperation b = parsed.get();
        if (decided.contains(op.id())) {
            return Vote.yesVote(); // re-asked for an operation already decided here: nothing to hold
        }
        release(op.id()); // re-asked while undecided (replay): compute afresh
        if (b.kind() == OperationKind.RETIRE_BANK) {
            return voteRetire(op);
        }
        if (isRetiring() && touchesSelf(b)) {
            return Vote.no(BANK_RETIRED); // (every bank votes on a PIX registration: only its own accounts' refused)
        }
        return switch (b.kind()) {
            case DEPOSIT, WITHDRAWAL, TRANSFER -> voteLegs(op.id(), op.origin(), b);
            case PIX_REGISTER -> votePixRegister(op.id(), b);
            case PIX_REMOVE -> votePixRemove(b);
            case AUDIT, RETIRE_BANK -> Vote.yesVote();
            case CONSENT_GRANT, CONSENT_REVOKE, CONSENT_LINK, CONSENT_UNLINK -> voteConsent(op.id(), op.origin(), b);
        };
    }

    /**
     * A bank retires only itself, and only empty: every account at zero and nothing held for an undecided vote (a
     * debit, a deposit, a PIX key, a consent). Operations delivered after a YES and touching it are refused
     * ({@link #BANK_RETIRED}), so nothing can fill it before the outcome.
     */
    private Vote voteRetire(Operation op) {
        boolean empty = balances.values().stream().allMatch(v -> v == 0L) && holdsByOp.isEmpty()
                && depositHoldsByOp.isEmpty() && pixHolds.isEmpty() && consentHoldsByOp.isEmpty()
                && grantsVoted.isEmpty() && revokesVoted.isEmpty();
        if (!empty) {
            return Vote.no(ACCOUNTS_NOT_EMPTY);
        }
        retireVoted = op.id();
        return Vote.yesVote();
    }

    private boolean isRetiring() {
        return retireVoted != null || retired.contains(self);
    }

    /** Whether this bank would vote on {@code b} for an account or consent of its own (not as every bank does). */
    private boolean touchesSelf(BankOperation b) {
        return switch (b.kind()) {
            case DEPOSIT, WITHDRAWAL, TRANSFER -> b.legBanks().contains(self);
            case PIX_REGISTER -> self.equals(b.pixAccount().bank());
            case CONSENT_GRANT, CONSENT_REVOKE, CONSENT_LINK, CONSENT_UNLINK -> true;
            case PIX_REMOVE, AUDIT, RETIRE_BANK -> false;
        };
    }

    /** The banks retired from the consortium (decided here): the protocol removes them from the view. */
    @Override
    public synchronized Set<String> retiredBanks() {
        return Set.copyOf(retired);
    }

    /**
     * Replay hands back a vote this bank logged before a restart: re-place what a YES had reserved (holds, a
     * PIX key) without judging again, so the outcome and later votes are what they were the first time
     * (e.g. an account opened since then does not turn a logged NO into a YES). A logged NO reserved nothing.
     */
    @Override
    public synchronized void restoreVote(Operation op, Vote logged) {
        if (!logged.yes() || decided.contains(op.id())) {
            return;
        }
        BankOperation b = parse(op).orElse(null);
        if (b == null) {
            return;
        }
        release(op.id());
        if (b.movesMoney()) {
            Map<String, Long> debits = new LinkedHashMap<>();
            Map<String, Long> consentDebits = new LinkedHashMap<>();
            long deposited = 0;
            for (Leg leg : b.legs()) {
                if (leg.from() != null && self.equals(leg.from().bank())) {
                    debits.merge(leg.from().account(), leg.amount(), Long::sum);
                    if (!self.equals(op.origin()) && leg.consent() != null) {
                        consentDebits.merge(leg.consent(), leg.amount(), Long::sum);
                    }
                }
                if (leg.from() == null && leg.to() != null && self.equals(leg.to().bank())) {
                    deposited += leg.amount();
                }
            }
            hold(op.id(), debits, consentDebits, deposited);
        } else if (b.kind() == OperationKind.PIX_REGISTER) {
            pixHolds.put(b.key(), op.id());
            holdPixAccount(b);
        } else if (b.kind() == OperationKind.CONSENT_GRANT) {
            grantsVoted.put(b.consent().id(), new Consent(b.consent(), b.cpf(), b.consent().limit(), false, false));
        } else if (b.kind() == OperationKind.CONSENT_REVOKE) {
            revokesVoted.add(b.consent().id());
        } else if (b.kind() == OperationKind.RETIRE_BANK) {
            retireVoted = op.id();
        }
    }

    private void hold(String opId, Map<String, Long> debits, Map<String, Long> consentDebits, long deposited) {
        if (!debits.isEmpty()) {
            debits.forEach((account, amount) -> holds.merge(account, amount, Long::sum));
            holdsByOp.put(opId, debits);
        }
        if (!consentDebits.isEmpty()) {
            consentDebits.forEach((id, amount) -> consentHolds.merge(id, amount, Long::sum));
            consentHoldsByOp.put(opId, consentDebits);
        }
        if (deposited > 0) {
            depositHoldsByOp.put(opId, deposited);
            depositsHeld += deposited;
        }
    }

    private Vote voteLegs(String opId, String origin, BankOperation b) {
        Map<String, Long> debits = new LinkedHashMap<>();
        Map<String, Long> consentDebits = new LinkedHashMap<>();
        long deposited = 0;
        Instant now = clock.instant();
        List<Leg> legs = b.legs();
        for (int i = 0; i < legs.size(); i++) {
            Leg leg = legs.get(i);
            if (leg.amount() <= 0) {
                return Vote.no("INVALID_AMOUNT@" + i);
            }
            if (leg.from() != null && retired.contains(leg.from().bank())
                    || leg.to() != null && retired.contains(leg.to().bank())) {
                return Vote.no(BANK_RETIRED + "@" + i); // the retired bank no longer votes: its legs end here
            }
            if (leg.from() != null && self.equals(leg.from().bank())) {
                Optional<Account> from = accounts.get(leg.from().account());
                if (from.isEmpty()) {
                    return Vote.no(ACCOUNT_NOT_FOUND + "@" + i);
                }
                if (self.equals(origin)) {
                    if (!from.get().payableBy(b.cpf())) {
                        return Vote.no(NOT_A_HOLDER + "@" + i);
                    }
                } else {
                    // another bank asks to debit our account: only a live consent of ours to that bank, given by
                    // the requester, covers it (API.md v1.1); a CPF alone authorises nothing here
                    String refusal = judgeConsent(leg, origin, b.cpf(), from.get(), now, consentDebits);
                    if (refusal != null) {
                        return Vote.no(refusal + "@" + i);
                    }
                }
                long wanted = debits.merge(leg.from().account(), leg.amount(), Long::sum);
                if (available(leg.from().account()) < wanted) {
                    return Vote.no(INSUFFICIENT_FUNDS + "@" + i);
                }
            }
            if (leg.to() != null && self.equals(leg.to().bank())) {
                if (!accounts.exists(leg.to().account())) {
                    return Vote.no(ACCOUNT_NOT_FOUND + "@" + i);
                }
                if (balances.getOrDefault(leg.to().account(), 0L) > MAX_BALANCE - leg.amount()) {
                    return Vote.no(BALANCE_LIMIT + "@" + i); // keeps every sum far from overflowing a long
                }
                if (leg.from() == null) {
                    deposited += leg.amount();
                    if (moneySupply + depositsHeld + deposited > moneySupplyCap) {
                        return Vote.no(MONEY_SUPPLY_LIMIT + "@" + i);
                    }
                }
                if (leg.pixKey() != null) {
                    Optional<PixEntry> e = pix.get(leg.pixKey());
                    if (e.isEmpty() || !e.get().bank().equals(self) || !e.get().account().equals(leg.to().account())) {
                        return Vote.no(PIX_KEY_NOT_FOUND + "@" + i);
                    }
                }
            }
        }
        hold(opId, debits, consentDebits, deposited);
        return Vote.yesVote();
    }

    /** Why {@code leg}'s debit through a consent is refused, or null when the consent covers it. */
    private String judgeConsent(Leg leg, String origin, String cpf, Account from, Instant now,
                                Map<String, Long> consentDebits) {
        Consent c = consent(leg.consent());
        if (c == null || c.revoked() || revokesVoted.contains(c.id())
                || !self.equals(c.terms().bank()) || !leg.from().account().equals(c.terms().account())
                || !origin.equals(c.terms().grantee()) || !c.cpf().equals(cpf) || !from.payableBy(c.cpf())) {
            return NO_CONSENT;
        }
        if (c.expiredAt(now)) {
            return CONSENT_EXPIRED;
        }
        long wanted = consentDebits.merge(c.id(), leg.amount(), Long::sum);
        if (c.remaining() - consentHolds.getOrDefault(c.id(), 0L) < wanted) {
            return CONSENT_LIMIT;
        }
        return null;
    }

    /** A consent as this bank's votes see it: decided, or granted by a YES of ours not yet decided. */
    private Consent consent(String id) {
        if (id == null) {
            return null;
        }
        return consents.get(id).orElse(grantsVoted.get(id));
    }

    private Vote voteConsent(String opId, String origin, BankOperation b) {
        ConsentTerms t = b.consent();
        if (b.kind() == OperationKind.CONSENT_GRANT) {
            Optional<Account> a = accounts.get(t.account());
            if (!self.equals(origin) || !self.equals(t.bank()) || a.isEmpty()) {
                return Vote.no(ACCOUNT_NOT_FOUND);
            }
            if (!a.get().payableBy(b.cpf())) {
                return Vote.no(NOT_A_HOLDER);
            }
            if (self.equals(t.grantee()) || !peerIds.contains(t.grantee()) || consent(t.id()) != null) {
                return Vote.no(NO_CONSENT);
            }
            grantsVoted.put(t.id(), new Consent(t, b.cpf(), t.limit(), false, false));
            return Vote.yesVote();
        }
        Consent c = consent(t.id());
        if (c == null || !c.cpf().equals(b.cpf()) || !self.equals(origin) || !c.terms().bank().equals(t.bank())
                || !c.terms().grantee().equals(t.grantee())) {
            return Vote.no(NO_CONSENT);
        }
        boolean revoked = c.revoked() || revokesVoted.contains(c.id());
        return switch (b.kind()) {
            case CONSENT_REVOKE -> {
                if (!self.equals(c.terms().bank()) || revoked) {
                    yield Vote.no(NO_CONSENT);
                }
                revokesVoted.add(c.id());
                yield Vote.yesVote();
            }
            case CONSENT_LINK -> !self.equals(c.terms().grantee()) || revoked ? Vote.no(NO_CONSENT)
                    : c.expiredAt(clock.instant()) ? Vote.no(CONSENT_EXPIRED) : Vote.yesVote();
            default -> self.equals(c.terms().grantee()) ? Vote.yesVote() : Vote.no(NO_CONSENT);
        };
    }

    private Vote votePixRegister(String opId, BankOperation b) {
        if (pix.contains(b.key()) || pixHolds.containsKey(b.key())) {
            return Vote.no(PIX_KEY_TAKEN);
        }
        if (self.equals(b.pixAccount().bank())) {
            Optional<Account> a = accounts.get(b.pixAccount().account());
            if (a.isEmpty()) {
                return Vote.no(ACCOUNT_NOT_FOUND);
            }
            if (!a.get().managesKeys(b.cpf())) { // any holder; a business account's admin only
                return Vote.no(NOT_A_HOLDER);
            }
            if (b.keyType() == PixKeyType.CPF && !b.key().equals(b.cpf())
                    || b.keyType() == PixKeyType.CNPJ && !b.key().equals(a.get().cnpj())) {
                return Vote.no(INVALID_KEY);
            }
            String account = b.pixAccount().account();
            long held = pixHoldAccounts.values().stream().filter(account::equals).count();
            if (pix.countOf(self, account) + held >= a.get().maxPixKeys()) {
                return Vote.no(PIX_KEY_LIMIT);
            }
        }
        pixHolds.put(b.key(), opId);
        holdPixAccount(b);
        return Vote.yesVote();
    }

    private void holdPixAccount(BankOperation b) {
        if (self.equals(b.pixAccount().bank())) {
            pixHoldAccounts.put(b.key(), b.pixAccount().account());
        }
    }

    private Vote votePixRemove(BankOperation b) {
        Optional<PixEntry> e = pix.get(b.key());
        if (e.isEmpty() || !e.get().bank().equals(self) || !e.get().account().equals(b.pixAccount().account())) {
            return Vote.no(PIX_KEY_NOT_FOUND);
        }
        Optional<Account> a = accounts.get(b.pixAccount().account());
        if (a.isEmpty() || !a.get().managesKeys(b.cpf())) {
            return Vote.no(NOT_A_HOLDER);
        }
        return Vote.yesVote();
    }

    @Override
    public void decide(Operation op, Outcome outcome) {
        synchronized (this) {
            // idempotent: this state has it already (decisions come in delivery order; an id decided before at a
            // position this state has passed is the same operation). A record from before a restart that this
            // state has not reached yet (the replay) is applied again, as it must be
            Optional<DecidedOperation> before = outcome.position() <= decidedThrough ? Optional.empty()
                    : decided.get(op.id());
            if (outcome.position() <= decidedThrough
                    || before.isPresent() && before.get().outcome().position() <= decidedThrough) {
                parsedByOp.remove(op.id());
                return;
            }
            release(op.id());
            BankOperation b = parse(op).orElse(null);
            parsedByOp.remove(op.id());
            DecidedOperation d = new DecidedOperation(b, outcome);
            decidedThrough = outcome.position();
            List<Posting> postings = new ArrayList<>();
            PixKeyCreated pixCreated = null;
            PixKeyDeleted pixDeleted = null;
            if (b != null) {
                if (b.key() != null && pixHolds.remove(b.key(), op.id())) {
                    pixHoldAccounts.remove(b.key());
                }
                if (outcome.committed()) {
                    switch (b.kind()) {
                        case DEPOSIT, WITHDRAWAL, TRANSFER -> applyLegs(op.id(),
                                postingIds.prefix(op.id(), outcome.position()), b, postings);
                        case PIX_REGISTER -> {
                            pix.put(new PixEntry(b.key(), b.keyType(), b.pixAccount().bank(), b.pixAccount().account(),
                                    b.maskedName()));
                            if (self.equals(b.pixAccount().bank())) {
                                pixCreated = new PixKeyCreated(storedKey(b.key()), b.keyType().name(),
                                        b.pixAccount().account());
                            }
                        }
                        case PIX_REMOVE -> {
                            pix.remove(b.key());
                            if (self.equals(b.pixAccount().bank())) {
                                pixDeleted = new PixKeyDeleted(storedKey(b.key()));
                            }
                        }
                        case AUDIT -> audits.put(op.id(), new AuditFigure(self, total(), outcome.position()));
                        case CONSENT_GRANT -> consents.grant(b.consent(), b.cpf());
                        case CONSENT_REVOKE -> consents.revoke(b.consent());
                        case CONSENT_LINK -> consents.link(b.consent(), true);
                        case CONSENT_UNLINK -> consents.link(b.consent(), false);
                        case RETIRE_BANK -> {
                            retired.add(op.origin());
                            for (PixEntry e : pix.all()) {
                                if (e.bank().equals(op.origin())) {
                                    pix.remove(e.key()); // its keys name accounts that are gone
                                }
                            }
                        }
                    }
                }
                if (b.kind() == OperationKind.CONSENT_GRANT) {
                    grantsVoted.remove(b.consent().id());
                } else if (b.kind() == OperationKind.CONSENT_REVOKE) {
                    revokesVoted.remove(b.consent().id());
                }
            }
            OutcomeRecord record = b != null && b.movesMoney() && self.equals(op.origin()) ? outcomeRecord(b, outcome)
                    : null;
            AuditFigure audit = audits.get(op.id()); // the applier reconciles it with the data server's total
            effects.enqueue(new Effects(outcome.position(), op.id(), postings, record, pixCreated, pixDeleted,
                    audit == null ? null : audit.total()));
            // last, once every replica and balance holds the decision: readers of the store take no monitor, so a
            // decision they find there is one whose effects they see too (a consent linked right after its grant)
            decided.put(d); // also again at a replay of a position the store holds: the same record
            for (BiConsumer<String, DecidedOperation> l : decidedListeners) {
                l.accept(op.id(), d);
            }
        }
    }

    /**
     * The data server's ids start with a letter or digit, so a phone key (+55...) is stored as tel:55...; the
     * data server's copy of this bank's keys is informational, the directory itself is replicated by the order.
     */
    static String storedKey(String key) {
        return key.startsWith("+") ? "tel:" + key.substring(1) : key;
    }

    private void applyLegs(String opId, String postingId, BankOperation b, List<Posting> postings) {
        List<Leg> legs = b.legs();
        for (int i = 0; i < legs.size(); i++) {
            Leg leg = legs.get(i);
            if (leg.from() == null) {
                moneySupply += leg.amount();
            } else if (leg.to() == null) {
                moneySupply -= leg.amount();
            }
            if (leg.consent() != null && leg.from() != null) {
                consents.debit(leg.consent(), leg.amount()); // every bank's replica: the remaining limit shown
            }
            boolean out = leg.from() != null && self.equals(leg.from().bank());
            boolean in = leg.to() != null && self.equals(leg.to().bank());
            if (out) {
                balances.merge(leg.from().account(), -leg.amount(), Long::sum);
                postings.add(new Posting(postingId + ":" + i + ":out", leg.from().account(), -leg.amount(),
                        leg.to() == null ? Posting.Kind.WITHDRAWAL : Posting.Kind.TRANSFER_OUT, opId,
                        leg.to() == null ? null : leg.to().toString()));
            }
            if (in) {
                balances.merge(leg.to().account(), leg.amount(), Long::sum);
                postings.add(new Posting(postingId + ":" + i + ":in", leg.to().account(), leg.amount(),
                        leg.from() == null ? Posting.Kind.DEPOSIT : Posting.Kind.TRANSFER_IN, opId,
                        leg.from() == null ? null : leg.from().toString()));
            }
        }
    }

    private static OutcomeRecord outcomeRecord(BankOperation b, Outcome o) {
        Reason reason = Reason.parse(o.reason());
        boolean refused = !o.committed() && reason.code() != null;
        return new OutcomeRecord(o.id(), b.fingerprint(), o.decision().name(), refused ? reason.code() : null,
                refused ? reason.failedLeg() : null, o.origin(), o.clock() == null ? Map.of() : o.clock().entries());
    }

    private void release(String opId) {
        if (opId.equals(retireVoted)) {
            retireVoted = null;
        }
        releaseFrom(holdsByOp.remove(opId), holds);
        releaseFrom(consentHoldsByOp.remove(opId), consentHolds);
        Long deposited = depositHoldsByOp.remove(opId);
        if (deposited != null) {
            depositsHeld -= deposited;
        }
    }

    private static void releaseFrom(Map<String, Long> held, Map<String, Long> totals) {
        if (held != null) {
            held.forEach((key, amount) -> {
                long left = totals.merge(key, -amount, Long::sum);
                if (left == 0) {
                    totals.remove(key);
                }
            });
        }
    }

    private long available(String account) {
        return balances.getOrDefault(account, 0L) - holds.getOrDefault(account, 0L);
    }

    private long total() {
        long sum = 0;
        for (long v : balances.values()) {
            sum += v;
        }
        return sum;
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Everything the log's replay would rebuild (BANK.md, "Snapshots"): balances, holds, the PIX and consent
     * replicas, the money supply, audits and how far it decided, as deterministic bytes ({@link BankSnapshot}); the
     * decided operations themselves are in the {@link DecidedStore}, forced to disk here.
     * Called by the protocol between two bursts, so every decision handed to {@link #decide} is in it.
     */
    @Override
    public synchronized byte[] snapshot() {
        return new BankSnapshot(BankSnapshot.VERSION, self, moneySupply, depositsHeld,
                new TreeMap<>(balances), new TreeMap<>(holds), sortedNested(holdsByOp),
                new TreeMap<>(pixHolds), new TreeMap<>(pixHoldAccounts),
                new TreeMap<>(consentHolds), sortedNested(consentHoldsByOp),
                new TreeMap<>(grantsVoted), revokesVoted.stream().sorted().toList(),
                new TreeMap<>(depositHoldsByOp), new TreeMap<>(audits),
                pix.all(), consents.all(), decidedThrough, decidedForSnapshot(), List.copyOf(retired),
                retireVoted).toBytes();
    }

    /**
     * A joining bank's first machine state (BANK.md "Adding a bank"): what every bank replicates (the money supply, the
     * PIX and consent directories, the retirements, how far it decided, and the decided operations' record, so the
     * joiner refuses a second delivery of an old id as every bank does), nothing of this bank's own: no balance, hold,
     * audit figure or vote.
     */
    @Override
    public synchronized byte[] snapshotFor(String bank) {
        return new BankSnapshot(BankSnapshot.VERSION, bank, moneySupply, 0, new TreeMap<>(), new TreeMap<>(),
                new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(),
                List.of(), new TreeMap<>(), new TreeMap<>(), pix.all(), consents.all(), decidedThrough,
                decided.after(0, Integer.MAX_VALUE).stream().filter(d -> d.outcome().position() <= decidedThrough)
                        .toList(), List.copyOf(retired), null).toBytes();
    }

    /** A fresh machine takes a {@link #snapshot()}'s state (before any other call; a later one replaces it all). */
    @Override
    public synchronized void restore(byte[] state) {
        BankSnapshot s = BankSnapshot.fromBytes(state);
        if (!self.equals(s.self())) {
            throw new IllegalStateException("a snapshot of bank " + s.self() + " cannot restore bank " + self);
        }
        moneySupply = s.moneySupply();
        depositsHeld = s.depositsHeld();
        replace(balances, s.balances());
        replace(holds, s.holds());
        holdsByOp.clear();
        s.holdsByOp().forEach((op, held) -> holdsByOp.put(op, new LinkedHashMap<>(held)));
        replace(pixHolds, s.pixHolds());
        replace(pixHoldAccounts, s.pixHoldAccounts());
        replace(consentHolds, s.consentHolds());
        consentHoldsByOp.clear();
        s.consentHoldsByOp().forEach((op, held) -> consentHoldsByOp.put(op, new LinkedHashMap<>(held)));
        replace(grantsVoted, s.grantsVoted());
        revokesVoted.clear();
        revokesVoted.addAll(s.revokesVoted());
        replace(depositHoldsByOp, s.depositHoldsByOp());
        replace(audits, s.audits());
        pix.reload(s.pix());
        consents.reload(s.consents());
        parsedByOp.clear();
        retired.clear();
        if (s.retired() != null) {
            retired.addAll(s.retired());
        }
        retireVoted = s.retireVoted();
        restoreDecided(s.decided(), s.decidedThrough());
    }

    /**
     * How far this bank's effects are durable at its data server ({@link EffectSink#durablePosition()}): a
     * snapshot the protocol restarts from, or truncates the log below, is never newer than that, so a restart
     * decides again, and the applier writes again (idempotently), everything its data server might not hold.
     */
    @Override
    public long appliedPosition() {
        return effects.durablePosition();
    }

    private static <K, V> void replace(Map<K, V> target, Map<K, V> from) {
        target.clear();
        target.putAll(from);
    }

    private static SortedMap<String, SortedMap<String, Long>> sortedNested(Map<String, Map<String, Long>> m) {
        SortedMap<String, SortedMap<String, Long>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, new TreeMap<>(v)));
        return out;
    }

    /**
     * The decided operations a snapshot carries: none from a store on disk, which is forced first (the protocol
     * deletes the log below a snapshot, so every decision the snapshot covers must be on disk by then); every one
     * from a store in memory (a test's or a simulator's), which a restarted machine gets empty.
     */
    private List<DecidedOperation> decidedForSnapshot() {
        if (decided.persistent()) {
            decided.sync();
            return List.of();
        }
        return decided.after(0, Integer.MAX_VALUE);
    }

    /**
     * A store on disk already holds what the snapshot covers (and maybe later decisions, from before a kill:
     * the replay applies those again to the restored state, as after a replay of the whole log).
     */
    private void restoreDecided(List<DecidedOperation> carried, long through) {
        for (DecidedOperation d : carried) {
            decided.put(new DecidedOperation(d.operation() == null ? null : shared.compact(d.operation()),
                    d.outcome()));
        }
        decidedThrough = through;
    }

    // ------------------------------------------------------------------ readers (API threads)

    /** The balance of one of this bank's accounts after every operation decided here. */
    public synchronized long balance(String account) {
        return balances.getOrDefault(account, 0L);
    }

    public synchronized long totalBalance() {
        return total();
    }

    /** A decided operation, from the cache or the store (no monitor: the store is thread-safe). */
    public Optional<DecidedOperation> decided(String opId) {
        return decided.get(opId);
    }

    /** Up to {@code limit} decided operations after delivery position {@code after}, in delivery order. */
    public List<DecidedOperation> decidedAfter(long after, int limit) {
        return decided.after(after, limit);
    }

    /** The delivery position of the last decision applied to this machine's state. */
    public synchronized long decidedThrough() {
        return decidedThrough;
    }

    /**
     * The protocol's memory of decided ids beyond its own window: this bank's decided store, but only for
     * decisions this machine has applied (a restart from a snapshot replays later ones, which the store may already
     * hold: they must be delivered again, not taken for duplicates).
     */
    @Override
    public Optional<Outcome> outcomeOf(String id) {
        long through = decidedThrough();
        return decided.get(id).map(DecidedOperation::outcome).filter(o -> o.position() <= through);
    }

    /**
     * {@code listener} is told of every decision (operation id, decision), inside {@code decide} under this machine's monitor and on the
     * protocol's thread: it must be short and never block ({@link DecisionWaiters} completes futures).
     */
    public void onDecided(BiConsumer<String, DecidedOperation> listener) {
        decidedListeners.add(listener);
    }

    /** Deposits minus withdrawals committed in the whole consortium so far (see {@link #DEFAULT_MONEY_SUPPLY_CAP}). */
    public synchronized long moneySupply() {
        return moneySupply;
    }

    /** This bank's clock, as its votes judge consents' expiry. */
    public Instant now() {
        return clock.instant();
    }

    public ConsentDirectory consents() {
        return consents;
    }

    public synchronized Optional<AuditFigure> audit(String auditId) {
        return Optional.ofNullable(audits.get(auditId));
    }

    public String self() {
        return self;
    }

    public List<String> peerIds() {
        return peerIds;
    }
}
