package org.distribank.bank.pix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PixKeyTest {

    @ParameterizedTest
    @CsvSource({
            "CPF, 529.982.247-25, 52998224725",
            "CNPJ, 11.222.333/0001-81, 11222333000181",
            "EMAIL, Ana.Souza@Example.COM, ana.souza@example.com",
            "PHONE, +55 (11) 98765-4321, +5511987654321",
            "PHONE, +5561 3333-4444, +556133334444",
            "PHONE, +14155550123, +14155550123",
            "RANDOM, 3F2504E0-4F89-41D3-9A0C-0305E82C3301, 3f2504e0-4f89-41d3-9a0c-0305e82c3301",
    })
    void canonicalisesValidKeys(PixKeyType type, String typed, String canonical) {
        assertThat(PixKey.parse(type, typed)).isEqualTo(new PixKey(type, canonical));
    }

    @ParameterizedTest
    @CsvSource({
            "CPF, 529.982.247-24",
            "CNPJ, 11.222.333/0001-80",
            "EMAIL, ana.souza",
            "EMAIL, ana@localhost",
            "EMAIL, a@b@example.com",
            "PHONE, 11987654321",
            "PHONE, +55 11 9876",
            "PHONE, +550011987654321",
            "RANDOM, not-a-uuid",
    })
    void rejectsMalformedKeysWithAMessageForPeople(PixKeyType type, String typed) {
        assertThatThrownBy(() -> PixKey.parse(type, typed))
                .isInstanceOf(InvalidPixKeyException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void rejectsEmailsLongerThanTheCentralBankAllows() {
        String local = "a".repeat(PixKey.MAX_EMAIL_LENGTH - "@example.com".length() + 1);
        assertThatThrownBy(() -> PixKey.parse(PixKeyType.EMAIL, local + "@example.com"))
                .isInstanceOf(InvalidPixKeyException.class);
        assertThat(PixKey.parse(PixKeyType.EMAIL, local.substring(1) + "@example.com").value())
                .hasSize(PixKey.MAX_EMAIL_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void rejectsBlankValues(String typed) {
        assertThatThrownBy(() -> PixKey.parse(PixKeyType.EMAIL, typed)).isInstanceOf(InvalidPixKeyException.class);
    }

    @Test
    void randomKeysAreFreshUuidsThatParseBack() {
        PixKey one = PixKey.random();
        PixKey two = PixKey.random();
        assertThat(one).isNotEqualTo(two);
        assertThat(PixKey.parse(PixKeyType.RANDOM, one.value())).isEqualTo(one);
    }

    @ParameterizedTest
    @CsvSource({
            "ana@example.com, EMAIL",
            "+5511987654321, PHONE",
            "3f2504e0-4f89-41d3-9a0c-0305e82c3301, RANDOM",
            "529.982.247-25, CPF",
            "11.222.333/0001-81, CNPJ",
    })
    void recognisesTheTypeOfAKeyTypedAlone(String typed, PixKeyType expected) {
        assertThat(PixKey.parseAny(typed).type()).isEqualTo(expected);
    }
}
