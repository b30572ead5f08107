package org.distribank.consortium.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A joining bank's first snapshot on the wire: request and answer round-trip, anything else is refused. */
class TransferTest {

    @Test
    void aRequestAndAnAnswerRoundTrip() {
        assertThat(Transfer.readRequest(Transfer.request("b5"))).isEqualTo("b5");
        byte[] body = {1, 2, 3, 0, -1};
        Transfer.Answer a = Transfer.readAnswer(Transfer.answer(42, body));
        assertThat(a.position()).isEqualTo(42);
        assertThat(a.snapshot()).containsExactly(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{}", "{\"from\":\"\"}", "{\"from\":{}}", "not json"})
    void aRequestThatNamesNoBankIsRefused(String json) {
        assertThatThrownBy(() -> Transfer.readRequest(json)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"position\":3}", "{\"position\":-1,\"snapshot\":\"AQ==\"}",
            "{\"position\":3,\"snapshot\":\"\"}", "{\"position\":3,\"snapshot\":\"%%\"}", "[1]"})
    void anAnswerWithoutAPositionAndASnapshotIsRefused(String json) {
        assertThatThrownBy(() -> Transfer.readAnswer(json)).isInstanceOf(IllegalArgumentException.class);
    }
}
