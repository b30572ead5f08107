package org.distribank.bank.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.distribank.bank.account.Account;
import org.distribank.bank.account.AccountDirectory;
import org.distribank.bank.account.AccountType;
import org.distribank.bank.account.Holder;
import org.distribank.bank.account.HolderRole;
import org.distribank.bank.ledger.InMemoryLedger;
import org.distribank.bank.ledger.OutcomeRecord;
import org.distribank.bank.ledger.PixKeyCreated;
import org.distribank.bank.ledger.Posting;
import org.distribank.bank.pix.PixDirectory;
import org.distribank.bank.pix.PixKeyType;
import org.distribank.consortium.entity.Decision;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.Vote;
import org.awaitility.Awaitility;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * The state machine's voting rules, driven directly on the test's thread, as a simulator drives it: no data server,
 * no thread, its effects kept in a list.
 */
class BankMachineTest {

    private static final String CPF = "52998224725";
    private final List<Effects> effects = new ArrayList<>();
    private final AccountDirectory accounts = new AccountDirectory();
    private final PixDirectory pix = new PixDirectory();
    private final BankMachine machine = new BankMachine("b1", List.of("b1", "b2", "b3"), accounts, pix, effects::add);
    private long position;

    private BankMachineTest() {
        accounts.put(new Account("1001", AccountType.PERSONAL, null, null, List.of(new Holder(CPF, "Ana", HolderRole.HOLDER))));
        accounts.put(new Account("1002", AccountType.PERSONAL, null, null, List.of(new Holder("11144477735", "Bia",
                HolderRole.HOLDER))));
    }

    private static Operation op(String id, BankOperation b) {
        return new Operation(id, "b1", VectorClock.zero(List.of("b1", "b2", "b3")), b.toJson());
    }

    private void decide(Operation op, boolean commit, String reason) {
        machine.decide(op, new Outcome(op.id(), "b1", op.clock(), commit ? Decision.COMMITTED : Decision.ABORTED,
                reason, commit ? null : "b1", ++position));
    }

    private static BankOperation deposit(String account, long amount) {
        return BankOperation.movement(OperationKind.DEPOSIT, CPF, "fp", List.of(new Leg(null,
                new AccountRef("b1", account), null, amount)));
    }

    private static BankOperation pay(String from, AccountRef to, long amount) {
        return BankOperation.movement(OperationKind.TRANSFER, CPF, "fp", List.of(new Leg(new AccountRef("b1", from), to,
                null, amount)));
    }

    /**
     * API threads read decisions from the store without the machine's monitor (a consent linked right after its
     * grant, a transaction's status): a decision must be readable there only once every balance and replica holds
     * it. The machine's effects are handed over after all of those, so at that moment it must not be readable yet.
     */
    @Test
    void aDecisionIsReadableOnlyOnceEveryReplicaHoldsIt() {
        java.util.concurrent.atomic.AtomicReference<BankMachine> self = new java.util.concurrent.atomic.AtomicReference<>();
        List<Boolean> readableAtEffects = new ArrayList<>();
        BankMachine m = new BankMachine("b1", List.of("b1", "b2", "b3"), accounts, pix,
                e -> readableAtEffects.add(self.get().decided(e.opId()).isPresent()));
        self.set(m);
        Operation d = op("d", deposit("1001", 1_000));
        assertThat(m.vote(d).yes()).isTrue();
        m.decide(d, new Outcome("d", "b1", d.clock(), Decision.COMMITTED, null, null, 1));
        assertThat(readableAtEffects).containsExactly(false);
        assertThat(m.decided("d")).isPresent();
        assertThat(m.balance("1001")).isEqualTo(1_000);
    }

    /**
     * Retire-bank (BANK.md, "Retiring a bank"): only its origin votes, YES only empty; after a YES nothing may fill
     * it (a deposit refused), a NO changes nothing; COMMITTED, every bank refuses legs at it and drops its keys,
     * and a snapshot carries the retirement.
     */
    @Test
    void aBankRetiresOnlyWithNothingInItAndThenTakesNoLegs() {
        Operation d = op("d", deposit("1001", 500));
        assertThat(machine.vote(d).yes()).isTrue();
        Operation held = op("r0", BankOperation.retireBank());
        assertThat(machine.voters(held)).containsExactly("b1");
        assertThat(machine.vote(held).reason()).as("a deposit is held").isEqualTo(BankMachine.ACCOUNTS_NOT_EMPTY);
        decide(held, false, BankMachine.ACCOUNTS_NOT_EMPTY);
        decide(d, true, null);
        Operation full = op("r1", BankOperation.retireBank());
        assertThat(machine.vote(full).reason()).as("500 in 1001").isEqualTo(BankMachine.ACCOUNTS_NOT_EMPTY);
        decide(full, false, BankMachine.ACCOUNTS_NOT_EMPTY);
        Operation out = op("w", BankOperation.movement(OperationKind.WITHDRAWAL, CPF, "fp", List.of(new Leg(
                new AccountRef("b1", "1001"), null, null, 500))));
        assertThat(machine.vote(out).yes()).isTrue();
        decide(out, true, null);
        assertThat(machine.retiredBanks()).isEmpty();

        Operation retire = op("r2", BankOperation.retireBank());
        assertThat(machine.vote(retire).yes()).isTrue();
        Operation late = op("d2", deposit("1002", 10));
        assertThat(machine.vote(late).reason()).as("delivered after the YES").isEqualTo(BankMachine.BANK_RETIRED);
        decide(late, false, BankMachine.BANK_RETIRED);
        decide(retire, true, null);
        assertThat(machine.retiredBanks()).containsExactly("b1");

        BankMachine other = new BankMachine("b2", List.of("b1", "b2", "b3"), new AccountDirectory(), new PixDirectory(),
                e -> { });
        Operation toB1 = new Operation("t", "b2", VectorClock.zero(List.of("b1", "b2", "b3")),
                BankOperation.movement(OperationKind.TRANSFER, CPF, "fp", List.of(new Leg(new AccountRef("b2", "9"),
                        new AccountRef("b1", "1002"), null, 5))).toJson());
        other.decide(new Operation("r2", "b1", retire.clock(), retire.payload()), new Outcome("r2", "b1",
                retire.clock(), Decision.COMMITTED, null, null, 1));
        assertThat(other.retiredBanks()).containsExactly("b1");
        assertThat(other.vote(toB1).reason()).isEqualTo(BankMachine.BANK_RETIRED + "@0");

        BankMachine restored = new BankMachine("b2", List.of("b1", "b2", "b3"), new AccountDirectory(),
                new PixDirectory(), e -> { });
        restored.restore(other.snapshot());
        assertThat(restored.retiredBanks()).containsExactly("b1");
    }

    @Test
    void votersArePureFunctionsOfThePayload() {
        assertThat(machine.voters(op("t", pay("1001", new AccountRef("b3", "1"), 5)))).containsExactly("b1", "b3");
        assertThat(machine.voters(op("a", BankOperation.audit()))).isEmpty();
        assertThat(machine.voters(op("p", BankOperation.pixRegister(CPF, "fp", "a@b.co", PixKeyType.EMAIL,
                new AccountRef("b2", "1"), "A")))).containsExactly("b1", "b2", "b3");
        assertThat(machine.voters(new Operation("x", "b1", VectorClock.zero(List.of("b1")), "garbage"))).isEmpty();
    }

    @Test
    void aYesHoldsTheFundsUntilDecided() {
        Operation d = op("d", deposit("1001", 1_000));
        assertThat(machine.vote(d).yes()).isTrue();
        decide(d, true, null);
        Operation t1 = op("t1", pay("1001", new AccountRef("b2", "9"), 800));
        Operation t2 = op("t2", pay("1001", new AccountRef("b2", "9"), 300));
        assertThat(machine.vote(t1).yes()).isTrue();
        // t1 is undecided: its 800 are held, so t2 does not fit
        assertThat(machine.vote(t2)).isEqualTo(Vote.no("INSUFFICIENT_FUNDS@0"));
        decide(t2, false, "INSUFFICIENT_FUNDS@0");
        decide(t1, false, "ACCOUNT_NOT_FOUND@0"); // another bank refused: the hold is released
        assertThat(machine.balance("1001")).isEqualTo(1_000);
        Operation t3 = op("t3", pay("1001", new AccountRef("b1", "1002"), 300));
        assertThat(machine.vote(t3).yes()).isTrue();
        decide(t3, true, null);
        assertThat(machine.balance("1001")).isEqualTo(700);
        assertThat(machine.balance("1002")).isEqualTo(300);
        assertThat(machine.totalBalance()).isEqualTo(1_000);
    }

    @Test
    void refusalsNameTheLeg() {
        Operation d = op("d", deposit("1001", 10));
        machine.vote(d);
        decide(d, true, null);
        BankOperation notMine = BankOperation.movement(OperationKind.TRANSFER, CPF, "fp", List.of(
                new Leg(new AccountRef("b1", "1001"), new AccountRef("b2", "1"), null, 1),
                new Leg(new AccountRef("b1", "1002"), new AccountRef("b2", "1"), null, 1)));
        assertThat(machine.vote(op("n", notMine))).isEqualTo(Vote.no("NOT_A_HOLDER@1"));
        assertThat(machine.vote(op("m", pay("1001", new AccountRef("b1", "4040"), 1))).reason())
                .isEqualTo("ACCOUNT_NOT_FOUND@0");
        assertThat(machine.vote(op("f", pay("1001", new AccountRef("b1", "1002"), 11))).reason())
                .isEqualTo("INSUFFICIENT_FUNDS@0");
        assertThat(Reason.parse("INSUFFICIENT_FUNDS@1")).isEqualTo(new Reason("INSUFFICIENT_FUNDS", 1));
    }

    @Test
    void aKeyBeingRegisteredIsHeldAgainstASecondRegistration() {
        Operation first = op("p1", BankOperation.pixRegister(CPF, "fp", "k@x.co", PixKeyType.EMAIL,
                new AccountRef("b1", "1001"), "Ana"));
        Operation second = op("p2", BankOperation.pixRegister("11144477735", "fp", "k@x.co", PixKeyType.EMAIL,
                new AccountRef("b2", "7"), "Bia"));
        assertThat(machine.vote(first).yes()).isTrue();
        assertThat(machine.vote(second)).isEqualTo(Vote.no("PIX_KEY_TAKEN"));
        decide(first, true, null);
        assertThat(pix.get("k@x.co")).isPresent();
        assertThat(machine.vote(op("p3", BankOperation.pixRegister(CPF, "fp", "k@x.co", PixKeyType.EMAIL,
                new AccountRef("b1", "1001"), "Ana")))).isEqualTo(Vote.no("PIX_KEY_TAKEN"));
    }

    @Test
    void aRestoredYesHoldsLikeTheOriginalVote() {
        Operation d = op("d", deposit("1001", 500));
        machine.vote(d);
        decide(d, true, null);
        Operation t1 = op("t1", pay("1001", new AccountRef("b2", "9"), 400));
        machine.restoreVote(t1, Vote.yesVote());
        assertThat(machine.vote(op("t2", pay("1001", new AccountRef("b2", "9"), 200))).yes()).isFalse();
        decide(t1, true, null);
        assertThat(machine.balance("1001")).isEqualTo(100);
        // deciding twice applies once
        decide(t1, true, null);
        assertThat(machine.balance("1001")).isEqualTo(100);
    }

    @Test
    void restoringTakesTheLoggedVerdictNotAFreshJudgement() {
        Operation d = op("d", deposit("1001", 500));
        machine.vote(d);
        decide(d, true, null);
        // logged NO (judged when something was different): reserves nothing, although a fresh vote would say YES
        machine.restoreVote(op("n", pay("1001", new AccountRef("b2", "9"), 450)), Vote.no("NOT_A_HOLDER@0"));
        assertThat(machine.vote(op("probe1", pay("1001", new AccountRef("b2", "9"), 500))).yes()).isTrue();
        decide(op("probe1", pay("1001", new AccountRef("b2", "9"), 500)), false, "X@0");
        // logged YES: holds, although a fresh vote would now say NO
        machine.restoreVote(op("y1", pay("1001", new AccountRef("b2", "9"), 400)), Vote.yesVote());
        machine.restoreVote(op("y2", pay("1001", new AccountRef("b2", "9"), 400)), Vote.yesVote());
        assertThat(machine.vote(op("probe2", pay("1001", new AccountRef("b2", "9"), 1)))).isEqualTo(
                Vote.no("INSUFFICIENT_FUNDS@0"));
    }

    private static Operation from(String origin, String id, BankOperation b) {
        return new Operation(id, origin, VectorClock.zero(List.of("b1", "b2", "b3")), b.toJson());
    }

    private static BankOperation remoteDebit(String cpf, String consent, long amount) {
        return BankOperation.movement(OperationKind.TRANSFER, cpf, "fp", List.of(new Leg(new AccountRef("b1", "1001"),
                new AccountRef("b2", "9"), null, amount, consent)));
    }

    @Test
    void anotherBanksDebitNeedsALiveConsentOfOursToThatBankFromThatHolder() {
        Operation d = op("d", deposit("1001", 10_000));
        machine.vote(d);
        decide(d, true, null);
        // by CPF alone, as every bank could before consents: refused
        assertThat(machine.vote(from("b2", "t0", remoteDebit(CPF, null, 1)))).isEqualTo(Vote.no("NO_CONSENT@0"));
        org.distribank.bank.consent.ConsentTerms terms = new org.distribank.bank.consent.ConsentTerms("c-1", "b1",
                "1001", "b2", 3_000, java.time.Instant.now().plusSeconds(3_600).toEpochMilli(), false, "hash");
        Operation grant = op("c-1", BankOperation.consent(OperationKind.CONSENT_GRANT, CPF, terms));
        assertThat(machine.voters(grant)).containsExactly("b1");
        assertThat(machine.vote(grant).yes()).isTrue();
        // judged as granted once our YES is cast, before the grant is decided
        assertThat(machine.vote(from("b2", "t1", remoteDebit(CPF, "c-1", 2_000))).yes()).isTrue();
        decide(grant, true, null);
        // the 2,000 in flight count against the limit; another bank, or another holder, cannot use it at all
        assertThat(machine.vote(from("b2", "t2", remoteDebit(CPF, "c-1", 1_001)))).isEqualTo(Vote.no("CONSENT_LIMIT@0"));
        assertThat(machine.vote(from("b3", "t3", remoteDebit(CPF, "c-1", 1)))).isEqualTo(Vote.no("NO_CONSENT@0"));
        assertThat(machine.vote(from("b2", "t4", remoteDebit("11144477735", "c-1", 1))))
                .isEqualTo(Vote.no("NO_CONSENT@0"));
        decide(from("b2", "t0", remoteDebit(CPF, null, 1)), false, "NO_CONSENT@0");
        machine.decide(from("b2", "t1", remoteDebit(CPF, "c-1", 2_000)), new Outcome("t1", "b2", null,
                Decision.COMMITTED, null, null, ++position));
        assertThat(machine.consents().get("c-1").orElseThrow().remaining()).isEqualTo(1_000);
        assertThat(machine.balance("1001")).isEqualTo(8_000);
        // a revocation this bank voted for stops every debit after it, decided or not
        Operation revoke = op("r", BankOperation.consent(OperationKind.CONSENT_REVOKE, CPF,
                new org.distribank.bank.consent.ConsentTerms("c-1", "b1", null, "b2", 0, 0, false, null)));
        assertThat(machine.vote(revoke).yes()).isTrue();
        assertThat(machine.vote(from("b2", "t5", remoteDebit(CPF, "c-1", 1)))).isEqualTo(Vote.no("NO_CONSENT@0"));
    }

    @Test
    void depositsStopAtTheMoneySupplyCapLongBeforeAnyTotalOverflows() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 11; i++) {
            String id = "20" + i;
            ids.add(id);
            accounts.put(new Account(id, AccountType.BUSINESS, "Co", null, List.of(new Holder(CPF, "Ana",
                    HolderRole.ADMIN))));
        }
        long max = org.distribank.common.StrictJson.MAX_AMOUNT;
        int committed = 0;
        Vote last = null;
        for (int n = 0; n < 10_001; n++) {
            String account = ids.get(n / 1_000);
            Operation d = op("d" + n, deposit(account, max));
            last = machine.vote(d);
            decide(d, last.yes(), last.reason());
            committed += last.yes() ? 1 : 0;
        }
        assertThat(committed).isEqualTo(10_000);
        assertThat(last).isEqualTo(Vote.no("MONEY_SUPPLY_LIMIT@0"));
        assertThat(machine.moneySupply()).isEqualTo(BankMachine.DEFAULT_MONEY_SUPPLY_CAP);
        assertThat(machine.totalBalance()).isEqualTo(BankMachine.DEFAULT_MONEY_SUPPLY_CAP);
        // a withdrawal makes room again
        Operation w = op("w", BankOperation.movement(OperationKind.WITHDRAWAL, CPF, "fp", List.of(new Leg(
                new AccountRef("b1", "200"), null, null, max))));
        assertThat(machine.vote(w).yes()).isTrue();
        decide(w, true, null);
        assertThat(machine.vote(op("d-again", deposit("2010", max))).yes()).isTrue();
    }

    @Test
    void theVoteRefusesAKeyPastTheAccountsLimitCountingRegistrationsInFlight() {
        // five registrations voted YES, none decided yet: the sixth is refused although the directory is empty
        List<Operation> pending = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Operation r = op("pix-" + i, BankOperation.pixRegister(CPF, "fp", "00000000-0000-4000-8000-00000000000" + i,
                    PixKeyType.RANDOM, new AccountRef("b1", "1001"), "Ana"));
            assertThat(machine.vote(r).yes()).isTrue();
            pending.add(r);
        }
        Operation sixth = op("pix-6", BankOperation.pixRegister(CPF, "fp", "00000000-0000-4000-8000-000000000006",
                PixKeyType.RANDOM, new AccountRef("b1", "1001"), "Ana"));
        Vote no = machine.vote(sixth);
        assertThat(no.yes()).isFalse();
        assertThat(no.reason()).isEqualTo(BankMachine.PIX_KEY_LIMIT);
        // one of the five aborts elsewhere: its place is free again
        decide(pending.get(0), false, "PIX_KEY_TAKEN");
        for (int i = 1; i < 5; i++) {
            decide(pending.get(i), true, null);
        }
        assertThat(pix.countOf("b1", "1001")).isEqualTo(4);
        decide(sixth, false, BankMachine.PIX_KEY_LIMIT);
        Operation again = op("pix-7", BankOperation.pixRegister(CPF, "fp", "00000000-0000-4000-8000-000000000007",
                PixKeyType.RANDOM, new AccountRef("b1", "1001"), "Ana"));
        assertThat(machine.vote(again).yes()).isTrue();
        // another bank's account is not judged here
        Operation elsewhere = op("pix-8", BankOperation.pixRegister(CPF, "fp", "00000000-0000-4000-8000-000000000008",
                PixKeyType.RANDOM, new AccountRef("b2", "1001"), "Ana"));
        assertThat(machine.vote(elsewhere).yes()).isTrue();
    }

    @Test
    void decisionsHandTypedEffectsInDeliveryOrder() {
        Operation d = op("d", deposit("1001", 1_000));
        machine.vote(d);
        decide(d, true, null);
        Operation t = op("t", pay("1001", new AccountRef("b2", "9"), 300));
        machine.vote(t);
        decide(t, true, null);
        Operation p = op("p", BankOperation.pixRegister(CPF, "fp", "+5511999990000", PixKeyType.PHONE,
                new AccountRef("b1", "1001"), "Ana"));
        machine.vote(p);
        decide(p, true, null);
        assertThat(effects).extracting(Effects::position).containsExactly(1L, 2L, 3L);
        assertThat(effects.get(0).postings()).extracting(Posting::account, Posting::amount, Posting::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1001", 1_000L, Posting.Kind.DEPOSIT));
        assertThat(effects.get(1).postings()).singleElement().satisfies(x -> {
            assertThat(x.amount()).isEqualTo(-300);
            assertThat(x.kind()).isEqualTo(Posting.Kind.TRANSFER_OUT);
            assertThat(x.counterparty()).isEqualTo("b2/9");
        });
        assertThat(effects.get(1).outcome().status()).isEqualTo("COMMITTED");
        assertThat(effects.get(2).pixCreated()).isEqualTo(new PixKeyCreated("tel:5511999990000", "PHONE", "1001"));
    }

    @Test
    void theApplierWritesTheEffectsToAnyLedger() {
        InMemoryLedger ledger = new InMemoryLedger();
        try (Applier applier = new Applier(ledger, "b1")) {
            BankMachine m = new BankMachine("b1", List.of("b1", "b2", "b3"), accounts, pix, applier);
            applier.start();
            Operation d = op("d", deposit("1001", 1_000));
            m.vote(d);
            m.decide(d, new Outcome("d", "b1", d.clock(), Decision.COMMITTED, null, null, 1));
            Operation t = op("t", pay("1001", new AccountRef("b2", "9"), 5_000));
            assertThat(m.vote(t)).isEqualTo(Vote.no("INSUFFICIENT_FUNDS@0"));
            m.decide(t, new Outcome("t", "b1", t.clock(), Decision.ABORTED, "INSUFFICIENT_FUNDS@0", "b1", 2));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> applier.appliedPosition() >= 2);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ledger.outcomes().size() == 2);
            assertThat(ledger.balance("1001")).isEqualTo(1_000);
            OutcomeRecord aborted = ledger.outcomes().get("t");
            assertThat(aborted.status()).isEqualTo("ABORTED");
            assertThat(aborted.reason()).isEqualTo("INSUFFICIENT_FUNDS");
            assertThat(aborted.failedLeg()).isZero();
        }
    }
}
