package org.distribank.app.ui.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10|1000", "10,5|1050", "10.5|1050", "12,50|1250", "R$ 1.234,56|123456", "1,234.56|123456",
            "1.234|123400", "1.234.567,89|123456789", "0,01|1", ",5|50", "1000000000000|100000000000000"})
    void typedAmountsBecomeExactCents(String typed, long cents) {
        assertThat(Money.parse(typed)).isEqualTo(cents);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "abc", "-5", "0", "0,00", "1,234", "10.5555", "1.23,45", "1e3", "1000000000000,01", "12,5,0"})
    void nonsenseZeroNegativeTooPreciseOrTooLargeIsRefusedWithASentence(String typed) {
        assertThatThrownBy(() -> Money.parse(typed)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank().endsWith("."));
    }

    @Test
    void centsAreShownAsReais() {
        assertThat(Money.format(123456)).isEqualTo("R$ 1.234,56");
        assertThat(Money.format(5)).isEqualTo("R$ 0,05");
        assertThat(Money.format(-1050)).isEqualTo("-R$ 10,50");
        assertThat(Money.signed(1050)).isEqualTo("+R$ 10,50");
        assertThat(Money.signed(-1050)).isEqualTo("-R$ 10,50");
    }
}
