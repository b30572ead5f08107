package org.distribank.bank.execution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Decided operations share one instance of each account reference and CPF; the payload reads the same. */
class SharedValuesTest {

    private static BankOperation transfer(String json) {
        return BankOperation.parse(json).orElseThrow();
    }

    private static final String A = "{\"kind\":\"TRANSFER\",\"cpf\":\"52998224725\",\"fingerprint\":\"f1\",\"legs\":"
            + "[{\"from\":{\"bank\":\"b1\",\"account\":\"1001\"},\"to\":{\"bank\":\"b2\",\"account\":\"2001\"},"
            + "\"amount\":5}]}";
    private static final String B = A.replace("\"f1\"", "\"f2\"").replace("\"amount\":5", "\"amount\":7");

    @Test
    void twoPayloadsNamingTheSameAccountsShareThemAndStayEqual() {
        SharedValues shared = new SharedValues();
        BankOperation a = shared.compact(transfer(A));
        BankOperation b = shared.compact(transfer(B));

        assertThat(a).isEqualTo(transfer(A));
        assertThat(b).isEqualTo(transfer(B));
        assertThat(b.legs().get(0).from()).isSameAs(a.legs().get(0).from());
        assertThat(b.legs().get(0).to()).isSameAs(a.legs().get(0).to());
        assertThat(b.cpf()).isSameAs(a.cpf());
        assertThat(b.legs().get(0).to().bank()).isSameAs(a.legs().get(0).to().bank());
        assertThat(a.fingerprint()).isEqualTo("f1"); // per operation: not shared
    }

    @Test
    void pastItsBoundAValueIsKeptAsItCame() {
        SharedValues shared = new SharedValues();
        for (int i = 0; i < SharedValues.MAX_VALUES; i++) {
            shared.shared("account-" + i);
        }
        String late = new String("account-late");
        assertThat(shared.shared(late)).isSameAs(late);
        assertThat(shared.shared(new String("account-late"))).isNotSameAs(late);
        assertThat(shared.size()).isEqualTo(SharedValues.MAX_VALUES);
        String seven = new String("account-7");
        assertThat(shared.shared(seven)).isEqualTo("account-7").isNotSameAs(seven); // known before the bound
    }
}
