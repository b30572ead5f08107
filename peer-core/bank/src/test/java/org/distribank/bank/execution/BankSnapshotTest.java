package org.distribank.bank.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.distribank.bank.account.Account;
import org.distribank.bank.account.AccountDirectory;
import org.distribank.bank.account.AccountType;
import org.distribank.bank.account.Holder;
import org.distribank.bank.account.HolderRole;
import org.distribank.bank.consent.ConsentDirectory;
import org.distribank.bank.consent.ConsentTerms;
import org.distribank.bank.pix.PixDirectory;
import org.distribank.bank.pix.PixKeyType;
import org.distribank.consortium.entity.Decision;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.Vote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bank restored from a snapshot votes, decides and writes exactly as the bank that replayed everything: machine
 * A takes N operations (some still undecided, holding funds, PIX keys and consent limits), B restores A's snapshot,
 * then both take the same further operations and every vote, decision, effect and the final state are compared.
 * The property runs over seeded random mixes of deposits, withdrawals, transfers (own, cross-bank, through
 * consents), PIX registrations and removals, consents granted, linked and revoked, audits and unreadable payloads.
 * (jqwik is not in the build's offline repository: the seeds are a plain loop, each failure names its seed.)
 */
class BankSnapshotTest {

    private static final List<String> BANKS = List.of("b1", "b2", "b3");
    private static final String[] CPFS = {"52998224725", "11144477735", "12345678909"};
    private static final List<String> ACCOUNTS = List.of("1001", "1002", "1003");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);
    /** Operations are decided this many deliveries after they are voted on, so a snapshot holds undecided votes. */
    private static final int LAG = 3;

    /** One bank's machine with its replicas and the effects it handed to its sink. */
    private static final class Bank {
        final List<Effects> effects = new ArrayList<>();
        final PixDirectory pix = new PixDirectory();
        final ConsentDirectory consents = new ConsentDirectory();
        final BankMachine machine;

        Bank() {
            AccountDirectory accounts = new AccountDirectory();
            for (int i = 0; i < ACCOUNTS.size(); i++) {
                accounts.put(new Account(ACCOUNTS.get(i), AccountType.PERSONAL, null, null,
                        List.of(new Holder(CPFS[i], "Customer " + i, HolderRole.HOLDER))));
            }
            machine = new BankMachine("b1", BANKS, accounts, pix, effects::add, PostingIds.BY_POSITION, consents,
                    CLOCK, BankMachine.DEFAULT_MONEY_SUPPLY_CAP);
        }
    }

    /** One delivery as each machine saw it: its voters and its vote (null when b1 is not a voter). */
    private record Seen(Set<String> voters, Vote vote) {
    }

    /** Drives machines through the same deliveries: votes at delivery, decisions LAG deliveries later. */
    private static final class Driver {
        final Random random;
        final Deque<Operation> undecided = new ArrayDeque<>();
        /** Per delivery: what each machine answered, in the machines' order. */
        final List<List<Seen>> seen = new ArrayList<>();
        /** b1's vote per operation, as the first machine gave it; the other banks' verdict, drawn at delivery. */
        final Map<String, Vote> ownVotes = new HashMap<>();
        final Map<String, Boolean> othersSayYes = new HashMap<>();
        long position;
        int next;

        Driver(long seed) {
            random = new Random(seed);
        }

        /** Delivers one new operation to every machine, then decides the oldest undecided one past the lag. */
        void step(List<BankMachine> machines) {
            Operation op = randomOperation();
            List<Seen> answers = new ArrayList<>();
            for (BankMachine m : machines) {
                Set<String> voters = m.voters(op);
                answers.add(new Seen(voters, voters.contains("b1") ? m.vote(op) : null));
            }
            seen.add(answers);
            if (answers.get(0).vote() != null) {
                ownVotes.put(op.id(), answers.get(0).vote());
            }
            othersSayYes.put(op.id(), random.nextInt(6) != 0);
            undecided.addLast(op);
            if (undecided.size() > LAG) {
                decideOldest(machines);
            }
        }

        /** COMMITTED when b1 (if a voter) and the other voters said yes, else ABORTED with the first NO's reason. */
        void decideOldest(List<BankMachine> machines) {
            Operation op = undecided.removeFirst();
            position++;
            Vote mine = ownVotes.get(op.id());
            boolean othersVote = machines.get(0).voters(op).stream().anyMatch(v -> !v.equals("b1"));
            boolean yes = (mine == null || mine.yes()) && (!othersVote || othersSayYes.get(op.id()));
            String reason = yes ? null : mine != null && !mine.yes() ? mine.reason() : "REFUSED@0";
            Outcome outcome = new Outcome(op.id(), op.origin(), op.clock(), yes ? Decision.COMMITTED
                    : Decision.ABORTED, reason, yes ? null : "b2", position);
            for (BankMachine m : machines) {
                m.decide(op, outcome);
            }
        }

        Operation randomOperation() {
            String id = "op-" + (++next);
            String origin = BANKS.get(random.nextInt(BANKS.size()));
            int c = random.nextInt(CPFS.length);
            String cpf = CPFS[c];
            AccountRef mine = new AccountRef("b1", ACCOUNTS.get(c));
            AccountRef any = new AccountRef(BANKS.get(random.nextInt(3)), ACCOUNTS.get(random.nextInt(3)));
            int kind = random.nextInt(20);
            BankOperation b;
            if (kind < 4) {
                b = BankOperation.movement(OperationKind.DEPOSIT, cpf, "fp", List.of(
                        new Leg(null, any, null, 1 + random.nextInt(10_000), null)));
            } else if (kind < 6) {
                b = BankOperation.movement(OperationKind.WITHDRAWAL, cpf, "fp", List.of(
                        new Leg(mine, null, null, 1 + random.nextInt(5_000), null)));
            } else if (kind < 11) {
                List<Leg> legs = new ArrayList<>();
                for (int i = 0, k = 1 + random.nextInt(3); i < k; i++) {
                    AccountRef from = random.nextBoolean() ? mine : any;
                    AccountRef to = new AccountRef(BANKS.get(random.nextInt(3)), ACCOUNTS.get(random.nextInt(3)));
                    String key = random.nextInt(5) == 0 ? "k" + random.nextInt(4) + "@sim.test" : null;
                    legs.add(new Leg(from, to, key, 1 + random.nextInt(4_000), null));
                }
                b = BankOperation.movement(OperationKind.TRANSFER, cpf, "fp", legs);
            } else if (kind < 13) {
                // a debit of b1's account ordered by another bank through a consent
                String consent = "c" + random.nextInt(4);
                b = BankOperation.movement(OperationKind.TRANSFER, cpf, "fp", List.of(
                        new Leg(mine, new AccountRef(origin, "1001"), null, 1 + random.nextInt(3_000), consent)));
            } else if (kind < 15) {
                b = BankOperation.pixRegister(cpf, "fp", "k" + random.nextInt(4) + "@sim.test", PixKeyType.EMAIL,
                        random.nextBoolean() ? mine : any, "Customer");
            } else if (kind < 16) {
                b = BankOperation.pixRemove(cpf, "fp", "k" + random.nextInt(4) + "@sim.test", mine);
            } else if (kind < 18) {
                String consent = "c" + random.nextInt(4);
                String grantee = BANKS.get(1 + random.nextInt(2));
                OperationKind k = switch (random.nextInt(4)) {
                    case 0, 1 -> OperationKind.CONSENT_GRANT;
                    case 2 -> OperationKind.CONSENT_LINK;
                    default -> OperationKind.CONSENT_REVOKE;
                };
                ConsentTerms terms = k == OperationKind.CONSENT_GRANT
                        ? new ConsentTerms(consent, "b1", mine.account(), grantee, 1 + random.nextInt(8_000),
                                CLOCK.millis() + (random.nextBoolean() ? 86_400_000L : -1), false, "hash")
                        : new ConsentTerms(consent, "b1", null, grantee, 0, 0, false, null);
                b = BankOperation.consent(k, cpf, terms);
                origin = k == OperationKind.CONSENT_LINK ? grantee : "b1";
            } else if (kind < 19) {
                b = BankOperation.audit();
            } else {
                return new Operation(id, origin, VectorClock.zero(BANKS), "not a bank operation");
            }
            return new Operation(id, origin, VectorClock.zero(BANKS).increment(origin), b.toJson());
        }
    }

    /** Runs {@code before} operations into A, restores B from A's snapshot, then {@code after} into both. */
    private static void checkSeed(long seed, int before, int after) {
        Bank a = new Bank();
        Driver d = new Driver(seed);
        for (int i = 0; i < before; i++) {
            d.step(List.of(a.machine));
        }
        byte[] snapshot = a.machine.snapshot();
        Bank b = new Bank();
        b.machine.restore(snapshot);
        assertThat(b.machine.snapshot()).as("seed %d: the restored machine's own snapshot", seed).isEqualTo(snapshot);
        int effectsBefore = a.effects.size();
        int seenBefore = d.seen.size();
        List<BankMachine> both = List.of(a.machine, b.machine);
        for (int i = 0; i < after; i++) {
            d.step(both);
        }
        while (!d.undecided.isEmpty()) {
            d.decideOldest(both);
        }
        for (List<Seen> answers : d.seen.subList(seenBefore, d.seen.size())) {
            assertThat(answers.get(1)).as("seed %d: voters and vote of B against A", seed).isEqualTo(answers.get(0));
        }
        assertThat(b.effects).as("seed %d: effects after the snapshot", seed)
                .isEqualTo(a.effects.subList(effectsBefore, a.effects.size()));
        assertThat(b.machine.decidedAfter(0, Integer.MAX_VALUE)).as("seed %d: decided operations", seed)
                .isEqualTo(a.machine.decidedAfter(0, Integer.MAX_VALUE));
        assertThat(b.machine.decidedThrough()).isEqualTo(a.machine.decidedThrough());
        assertThat(b.machine.snapshot()).as("seed %d: the state at the end", seed).isEqualTo(a.machine.snapshot());
        assertThat(b.pix.all()).isEqualTo(a.pix.all());
        assertThat(b.consents.all()).isEqualTo(a.consents.all());
        for (String account : ACCOUNTS) {
            assertThat(b.machine.balance(account)).isEqualTo(a.machine.balance(account));
        }
        assertThat(b.machine.moneySupply()).isEqualTo(a.machine.moneySupply());
    }

    @Test
    void aRestoredBankVotesDecidesAndWritesLikeTheOneThatReplayedEverything() {
        checkSeed(42, 300, 300);
    }

    @Test
    void overSeededRandomMixesARestoredBankMatchesTheReplayedOne() {
        long seeds = Long.getLong("bank.snapshotSeeds", 200);
        for (long seed = 1; seed <= seeds; seed++) {
            Random r = new Random(seed * 31);
            checkSeed(seed, r.nextInt(120), 1 + r.nextInt(120));
        }
    }

    @Test
    void theSnapshotHoldsUndecidedHoldsAndItsBytesAreDeterministic() {
        Bank a = new Bank();
        Operation deposit = new Operation("d", "b1", VectorClock.zero(BANKS), BankOperation.movement(
                OperationKind.DEPOSIT, CPFS[0], "fp", List.of(new Leg(null, new AccountRef("b1", "1001"), null, 1_000,
                        null))).toJson());
        a.machine.vote(deposit);
        a.machine.decide(deposit, new Outcome("d", "b1", deposit.clock(), Decision.COMMITTED, null, null, 1));
        Operation pay = new Operation("t", "b1", VectorClock.zero(BANKS), BankOperation.movement(
                OperationKind.TRANSFER, CPFS[0], "fp", List.of(new Leg(new AccountRef("b1", "1001"),
                        new AccountRef("b2", "1001"), null, 800, null))).toJson());
        assertThat(a.machine.vote(pay).yes()).isTrue(); // 800 held, undecided
        Bank b = new Bank();
        b.machine.restore(a.machine.snapshot());
        Operation more = new Operation("t2", "b1", VectorClock.zero(BANKS), BankOperation.movement(
                OperationKind.TRANSFER, CPFS[0], "fp", List.of(new Leg(new AccountRef("b1", "1001"),
                        new AccountRef("b2", "1001"), null, 300, null))).toJson());
        assertThat(b.machine.vote(more)).isEqualTo(Vote.no("INSUFFICIENT_FUNDS@0"));
        assertThat(b.machine.decided("d")).isPresent();
        assertThat(b.machine.vote(deposit).yes()).isTrue(); // already decided there: nothing held again
        assertThat(b.machine.balance("1001")).isEqualTo(1_000);
    }

    @Test
    void aSnapshotForcesTheDecidedStoreSoTheLogBelowItMayGo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("decided.mv.db");
        try (DecidedStore store = DecidedStore.open(file, CLOCK)) {
            BankMachine m = new BankMachine("b1", BANKS, new AccountDirectory(), new PixDirectory(), e -> { },
                    PostingIds.BY_POSITION, new ConsentDirectory(), CLOCK, BankMachine.DEFAULT_MONEY_SUPPLY_CAP, store);
            for (int i = 1; i <= 50; i++) {
                Operation op = new Operation("d" + i, "b2", VectorClock.zero(BANKS), BankOperation.audit().toJson());
                m.decide(op, new Outcome(op.id(), "b2", op.clock(), Decision.COMMITTED, null, null, i));
            }
            BankSnapshot s = BankSnapshot.fromBytes(m.snapshot());
            assertThat(s.decided()).as("a store on disk keeps them, not the snapshot").isEmpty();
            assertThat(s.decidedThrough()).isEqualTo(50);
            // a kill now: what the file holds is what a restart finds
            Path atKill = dir.resolve("at-kill.mv.db");
            Files.copy(file, atKill);
            try (DecidedStore after = DecidedStore.open(atKill, CLOCK)) {
                assertThat(after.lastPosition()).isEqualTo(50);
                assertThat(after.contains("d1")).isTrue();
            }
        }
    }

    /**
     * The protocol asks the machine about ids older than its own window of outcomes: the store may hold decisions a
     * restart from an older snapshot replays next, and those must not look decided yet (they would be skipped as
     * duplicates at this bank and delivered at the others).
     */
    @Test
    void aRestoredBankRemembersOnlyTheDecisionsItsStateHolds(@TempDir Path dir) throws Exception {
        try (DecidedStore store = DecidedStore.open(dir.resolve("decided.mv.db"), CLOCK)) {
            BankMachine m = new BankMachine("b1", BANKS, new AccountDirectory(), new PixDirectory(), e -> { },
                    PostingIds.BY_POSITION, new ConsentDirectory(), CLOCK, BankMachine.DEFAULT_MONEY_SUPPLY_CAP, store);
            byte[] atTwenty = null;
            for (int i = 1; i <= 30; i++) {
                Operation op = new Operation("d" + i, "b2", VectorClock.zero(BANKS), BankOperation.audit().toJson());
                m.decide(op, new Outcome(op.id(), "b2", op.clock(), Decision.COMMITTED, null, null, i));
                if (i == 20) {
                    atTwenty = m.snapshot();
                }
            }
            assertThat(m.outcomeOf("d25")).map(Outcome::position).contains(25L);

            BankMachine restarted = new BankMachine("b1", BANKS, new AccountDirectory(), new PixDirectory(), e -> { },
                    PostingIds.BY_POSITION, new ConsentDirectory(), CLOCK, BankMachine.DEFAULT_MONEY_SUPPLY_CAP, store);
            restarted.restore(atTwenty);
            assertThat(restarted.outcomeOf("d20")).map(Outcome::position).contains(20L);
            assertThat(restarted.outcomeOf("d25")).as("decided after the snapshot: the replay hands it again").isEmpty();
            assertThat(restarted.outcomeOf("never")).isEmpty();
        }
    }

    @Test
    void anotherBanksSnapshotIsRefused() {
        Bank a = new Bank();
        BankMachine other = new BankMachine("b2", BANKS, new AccountDirectory(), new PixDirectory(), e -> { });
        assertThatThrownBy(() -> a.machine.restore(other.snapshot())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("b2");
    }
}
