package org.distribank.bank.identity;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A Brazilian company number (CNPJ): twelve base characters and two check digits (modulo 11).
 * Since July 2026 the base may hold capital letters as well as digits (the alphanumeric CNPJ);
 * each character counts as its code point minus 48, so a numeric CNPJ validates as before.
 */
public record Cnpj(String value) {

    private static final int[] FIRST_WEIGHTS = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
    private static final int[] SECOND_WEIGHTS = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};

    public Cnpj {
        Objects.requireNonNull(value, "value");
        if (!isValidBare(value)) {
            throw new IllegalArgumentException("not a valid CNPJ");
        }
    }

    /** Accepts {@code 12.ABC.345/01DE-35}, {@code 11.222.333/0001-81} or the bare form. */
    public static Optional<Cnpj> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String bare = text.strip().replace(".", "").replace("/", "").replace("-", "").toUpperCase(Locale.ROOT);
        return isValidBare(bare) ? Optional.of(new Cnpj(bare)) : Optional.empty();
    }

    public static boolean isValid(String text) {
        return parse(text).isPresent();
    }

    /** Completes twelve base characters (digits or capital letters) with their two check digits. */
    public static Cnpj withCheckDigits(String twelveCharacters) {
        if (twelveCharacters == null || !twelveCharacters.matches("[0-9A-Z]{12}")) {
            throw new IllegalArgumentException("a CNPJ base is twelve digits or capital letters");
        }
        String thirteen = twelveCharacters + checkDigit(twelveCharacters, FIRST_WEIGHTS);
        return new Cnpj(thirteen + checkDigit(thirteen, SECOND_WEIGHTS));
    }

    public String formatted() {
        return value.substring(0, 2) + "." + value.substring(2, 5) + "." + value.substring(5, 8) + "/"
                + value.substring(8, 12) + "-" + value.substring(12);
    }

    @Override
    public String toString() {
        return formatted();
    }

    private static boolean isValidBare(String bare) {
        if (bare.length() != 14) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            char c = bare.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        if (!Character.isDigit(bare.charAt(12)) || !Character.isDigit(bare.charAt(13))) {
            return false;
        }
        if (bare.chars().distinct().count() == 1) {
            return false;
        }
        return checkDigit(bare, FIRST_WEIGHTS) == bare.charAt(12) - '0'
                && checkDigit(bare, SECOND_WEIGHTS) == bare.charAt(13) - '0';
    }

    private static int checkDigit(String bare, int[] weights) {
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += (bare.charAt(i) - '0') * weights[i];
        }
        int rest = sum % 11;
        return rest < 2 ? 0 : 11 - rest;
    }
}
