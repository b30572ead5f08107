package org.distribank.bank.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CpfCnpjTest {

    @ParameterizedTest
    @ValueSource(strings = {"529.982.247-25", "52998224725", "111.444.777-35", " 111.444.777-35 "})
    void acceptsCpfsWithCorrectCheckDigits(String text) {
        assertThat(Cpf.parse(text)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"529.982.247-24", "529.982.247-15", "111.111.111-11", "000.000.000-00",
            "5299822472", "529982247250", "52998224a25", "", "529 982 247 25"})
    void rejectsCpfsWithWrongDigitsLengthOrCharacters(String text) {
        assertThat(Cpf.parse(text)).isEmpty();
    }

    @Test
    void cpfIsStoredAsBareDigitsAndShownFormattedOrMasked() {
        Cpf cpf = Cpf.parse("529.982.247-25").orElseThrow();
        assertThat(cpf.digits()).isEqualTo("52998224725");
        assertThat(cpf.formatted()).isEqualTo("529.982.247-25");
        assertThat(cpf.masked()).isEqualTo("***.982.247-**");
        assertThat(Cpf.parse("52998224725")).contains(cpf);
    }

    @Test
    void constructingAnInvalidCpfFails() {
        assertThatThrownBy(() -> new Cpf("52998224724")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"11.222.333/0001-81", "11222333000181", "12.ABC.345/01DE-35", "12abc34501de35"})
    void acceptsNumericAndAlphanumericCnpjs(String text) {
        assertThat(Cnpj.parse(text)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"11.222.333/0001-80", "11.222.333/0001-91", "00.000.000/0000-00",
            "12.ABC.345/01DE-36", "12.ABC.345/01DE-3A", "1122233300018", "11.222.333/0001-8!"})
    void rejectsCnpjsWithWrongCheckDigitsOrCharacters(String text) {
        assertThat(Cnpj.parse(text)).isEmpty();
    }

    @Test
    void cnpjIsCanonicalInUpperCaseAndFormattedForPeople() {
        Cnpj cnpj = Cnpj.parse("12abc34501de35").orElseThrow();
        assertThat(cnpj.value()).isEqualTo("12ABC34501DE35");
        assertThat(cnpj.formatted()).isEqualTo("12.ABC.345/01DE-35");
    }

    @Test
    void completesBasesWithTheirCheckDigits() {
        assertThat(Cpf.withCheckDigits("529982247").digits()).isEqualTo("52998224725");
        assertThat(Cpf.withCheckDigits("111444777").digits()).isEqualTo("11144477735");
        assertThat(Cnpj.withCheckDigits("112223330001").value()).isEqualTo("11222333000181");
        assertThat(Cnpj.withCheckDigits("12ABC34501DE").value()).isEqualTo("12ABC34501DE35");
        assertThatThrownBy(() -> Cpf.withCheckDigits("12345678")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cnpj.withCheckDigits("12abc34501de")).isInstanceOf(IllegalArgumentException.class);
    }
}
