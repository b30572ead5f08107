package org.distribank.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** The consent answers of API.md v1.1 read into the client's records. */
class ParseTest {

    @Test
    void aLinkedAccountHasItsBalanceOnlyWhereTheBankGaveIt() {
        LinkedAccount readable = Parse.linked(JsonParser.parseString("{\"bank\":\"b2\",\"account\":\"1001\","
                + "\"consentId\":\"c-1\",\"remaining\":4000,\"expiresAt\":\"2027-01-01T00:00:00Z\",\"status\":\"ACTIVE\","
                + "\"read\":true,\"balance\":5000}").getAsJsonObject());
        assertThat(readable.balance()).isEqualTo(5_000L);
        assertThat(readable.ref()).isEqualTo(new AccountRef("b2", "1001"));
        assertThat(readable.remaining()).isEqualTo(4_000);
        LinkedAccount hidden = Parse.linked(JsonParser.parseString("{\"bank\":\"b2\",\"account\":\"1001\","
                + "\"consentId\":\"c-1\",\"remaining\":4000,\"expiresAt\":\"2027-01-01T00:00:00Z\"}").getAsJsonObject());
        assertThat(hidden.balance()).isNull();
        assertThat(hidden.read()).isFalse();
        assertThat(hidden.status()).isEqualTo("ACTIVE"); // the link answer may leave it out
    }

    @Test
    void aConsentIsReadWithoutItsToken() {
        ConsentView c = Parse.consent(JsonParser.parseString("{\"id\":\"c-1\",\"consent\":\"c-1.secret\","
                + "\"bank\":\"b2\",\"account\":\"1001\",\"grantee\":\"b1\",\"limit\":5000,\"remaining\":5000,"
                + "\"expiresAt\":\"2027-01-01T00:00:00Z\",\"read\":false,\"status\":\"REVOKED\"}").getAsJsonObject());
        assertThat(c.limit()).isEqualTo(5_000);
        assertThat(c.active()).isFalse();
        assertThat(c.toString()).doesNotContain("secret");
    }
}
