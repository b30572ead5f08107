package org.distribank.bank.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * A Brazilian individual taxpayer number (CPF): eleven digits, the last two check digits
 * (modulo 11). Stored and compared as bare digits; {@link #formatted()} is for people.
 */
public record Cpf(String digits) {

    public Cpf {
        Objects.requireNonNull(digits, "digits");
        if (!isValidDigits(digits)) {
            throw new IllegalArgumentException("not a valid CPF");
        }
    }

    /** Accepts {@code 123.456.789-09} or {@code 12345678909}; anything else is empty. */
    public static Optional<Cpf> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String digits = text.strip().replace(".", "").replace("-", "");
        return isValidDigits(digits) ? Optional.of(new Cpf(digits)) : Optional.empty();
    }

    public static boolean isValid(String text) {
        return parse(text).isPresent();
    }

    /** Completes nine base digits with their two check digits (test data, benchmark customers). */
    public static Cpf withCheckDigits(String nineDigits) {
        if (nineDigits == null || !nineDigits.matches("[0-9]{9}")) {
            throw new IllegalArgumentException("a CPF base is nine digits");
        }
        String ten = nineDigits + checkDigit(nineDigits, 9);
        return new Cpf(ten + checkDigit(ten, 10));
    }

    public String formatted() {
        return digits.substring(0, 3) + "." + digits.substring(3, 6) + "." + digits.substring(6, 9) + "-"
                + digits.substring(9);
    }

    /** For showing to someone who is not the holder: {@code ***.456.789-**}. */
    public String masked() {
        return "***." + digits.substring(3, 6) + "." + digits.substring(6, 9) + "-**";
    }

    @Override
    public String toString() {
        return formatted();
    }

    private static boolean isValidDigits(String digits) {
        if (digits.length() != 11 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        // 000.000.000-00, 111.111.111-11 ... pass the arithmetic but are not issued.
        if (digits.chars().distinct().count() == 1) {
            return false;
        }
        return checkDigit(digits, 9) == digits.charAt(9) - '0' && checkDigit(digits, 10) == digits.charAt(10) - '0';
    }

    /** The check digit over the first {@code length} digits, weights length+1 down to 2. */
    private static int checkDigit(String digits, int length) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (digits.charAt(i) - '0') * (length + 1 - i);
        }
        int rest = (sum * 10) % 11;
        return rest == 10 ? 0 : rest;
    }
}
