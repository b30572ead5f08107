package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.StatementEntry;
import org.junit.jupiter.api.Test;

/** The statement of the chosen account against a fake bank. */
class StatementViewModelTest {

    private final CustomerFixture f = new CustomerFixture();
    private final StatementViewModel statement = new StatementViewModel(f.session, f.state, f.tasks);

    @Test
    void theChosenAccountsMovementsShowAsTheTableReadsThem() {
        f.here.statements.put("1001", List.of(new StatementEntry("t1", "DEPOSIT", 15_000, 15_000, "1767225600000",
                null), new StatementEntry("t2", "TRANSFER_OUT", -5_000, 10_000, "not-a-time", "b3/3001")));
        f.signIn();
        assertThat(statement.accountProperty().get()).isEqualTo(new AccountRef("b1", "1001"));
        assertThat(statement.entries()).extracting(StatementEntry::transaction).containsExactly("t1", "t2");
        assertThat(statement.rows()).extracting(StatementViewModel.Row::kind).containsExactly("Deposit",
                "Transfer out");
        assertThat(statement.rows()).extracting(StatementViewModel.Row::amount).containsExactly("+R$ 150,00",
                "-R$ 50,00");
        assertThat(statement.rows().get(1).balanceAfter()).isEqualTo("R$ 100,00");
        assertThat(statement.rows().get(1).counterparty()).isEqualTo("b3/3001");
        assertThat(statement.rows().get(1).when()).isEqualTo("not-a-time");
        assertThat(statement.rows().get(0).when()).matches("\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d:\\d\\d");
        assertThat(statement.messageProperty().get()).isEmpty();
    }

    @Test
    void anEmptyStatementAndALinkedAccountsOneAreExplained() {
        f.signIn();
        assertThat(statement.entries()).isEmpty();
        assertThat(statement.messageProperty().get()).isEqualTo("Nothing has happened on this account yet.");

        statement.accountProperty().set(new AccountRef("b2", "2001"));
        assertThat(statement.messageProperty().get()).isEqualTo("Account 2001 is at Bank 2. To see its statement, "
                + "open a customer window at Bank 2.");
        assertThat(f.here.count("statement")).isEqualTo(2); // asked at sign-in and at the refresh after it
    }

    @Test
    void aStatementIsReadAgainAfterAMovement() {
        f.signIn();
        f.here.statements.put("1001", List.of(new StatementEntry("t9", "DEPOSIT", 100, 10_100, null, null)));
        f.state.readEverything();
        assertThat(statement.entries()).extracting(StatementEntry::transaction).containsExactly("t9");
    }
}
