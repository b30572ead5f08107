package org.distribank.bank.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distribank.bank.account.Account;
import org.distribank.bank.account.AccountDirectory;
import org.distribank.bank.account.AccountType;
import org.distribank.bank.account.Holder;
import org.distribank.bank.account.HolderRole;
import org.distribank.bank.pix.PixDirectory;
import org.distribank.bank.pix.PixKeyType;
import org.distribank.consortium.StateMachine;
import org.distribank.consortium.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deterministic simulator with the bank's real {@link BankMachine} (its effects into a list, no data server):
 * deposits, withdrawals, cross-bank transfers and PIX registrations under crashes, failing disks and a lossy
 * network, with snapshots (an interval drawn per seed) and restarts from them; every bank decides the same way, and
 * at the end the money adds up everywhere.
 * {@code -Dsim.bankSeeds=N}, {@code -Dsim.start=S}, {@code -Dsim.seed=X} as for the protocol's simulation.
 */
class BankSimulationTest {

    private static final Logger LOG = LoggerFactory.getLogger(BankSimulationTest.class);
    private static final String[] CPFS = {"52998224725", "11144477735", "12345678909", "98765432100", "39053344705"};

    /** Bank bI has accounts 1001 and 1002 of the I-th customer. */
    private static StateMachine bank(String id, List<String> ids) {
        AccountDirectory accounts = new AccountDirectory();
        String cpf = CPFS[ids.indexOf(id) % CPFS.length];
        for (String number : List.of("1001", "1002")) {
            accounts.put(new Account(number, AccountType.PERSONAL, null, null,
                    List.of(new Holder(cpf, "Customer " + id, HolderRole.HOLDER))));
        }
        List<Effects> effects = new ArrayList<>();
        return new BankMachine(id, ids, accounts, new PixDirectory(), effects::add);
    }

    static final Simulation.Workload BANKING = (random, n, origin, ids) -> {
        String cpf = CPFS[ids.indexOf(origin) % CPFS.length];
        AccountRef mine = new AccountRef(origin, random.nextBoolean() ? "1001" : "1002");
        int kind = random.nextInt(10);
        BankOperation op;
        if (kind < 3) {
            op = BankOperation.movement(OperationKind.DEPOSIT, cpf, "sim", List.of(
                    new Leg(null, mine, null, 1 + random.nextInt(10_000))));
        } else if (kind < 5) {
            op = BankOperation.movement(OperationKind.WITHDRAWAL, cpf, "sim", List.of(
                    new Leg(mine, null, null, 1 + random.nextInt(5_000))));
        } else if (kind < 9) {
            List<Leg> legs = new ArrayList<>();
            for (int i = 0, k = 1 + random.nextInt(2); i < k; i++) {
                String to = ids.get(random.nextInt(ids.size()));
                legs.add(new Leg(mine, new AccountRef(to, random.nextBoolean() ? "1001" : "1002"), null,
                        1 + random.nextInt(4_000)));
            }
            if (random.nextInt(8) == 0) {
                legs.add(new Leg(mine, new AccountRef(origin, "9999"), null, 1)); // no such account: aborts all
            }
            op = BankOperation.movement(OperationKind.TRANSFER, cpf, "sim", legs);
        } else {
            op = BankOperation.pixRegister(cpf, "sim", "k" + random.nextInt(6) + "@sim.test", PixKeyType.EMAIL, mine,
                    "Customer");
        }
        return op.toJson();
    };

    /** Every bank's accounts add up to the money every bank counts in the consortium; no balance below zero. */
    private static String moneyAddsUp(Map<String, StateMachine> machines) {
        long total = 0;
        Long supply = null;
        for (Map.Entry<String, StateMachine> e : machines.entrySet()) {
            BankMachine m = (BankMachine) e.getValue();
            for (String account : List.of("1001", "1002")) {
                if (m.balance(account) < 0) {
                    return e.getKey() + "/" + account + " is negative: " + m.balance(account);
                }
            }
            total += m.totalBalance();
            if (supply != null && supply != m.moneySupply()) {
                return e.getKey() + " counts " + m.moneySupply() + " in the consortium, another bank " + supply;
            }
            supply = m.moneySupply();
        }
        return supply != null && total != supply ? "the banks hold " + total + " but " + supply + " was deposited" : null;
    }

    @Test
    void banksDecideAlikeAndTheMoneyAddsUpUnderFaults() {
        Simulation.Sweep sweep = Simulation.sweep("sim.bankSeeds", 1_000,
                seed -> new Simulation(seed, BankSimulationTest::bank, BANKING).withEndCheck(BankSimulationTest::moneyAddsUp)
                        .replayWith("-pl peer-core/bank -am test -Dtest=BankSimulationTest"));
        LOG.info("bank simulation: {}", sweep);
        assertThat(sweep.failures()).as("failing seeds").isEmpty();
        // the bank's machine snapshots: banks restart from snapshots (and replay the rest) under the same checks
        assertThat(sweep.snapshots()).as("bank snapshots taken").isPositive();
        assertThat(sweep.restores()).as("restarts from a bank snapshot").isPositive();
    }
}
