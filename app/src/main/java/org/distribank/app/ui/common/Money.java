package org.distribank.app.ui.common;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Money as people type and read it, cents inside. Amounts are shown as {@code R$ 1.234,56}; typed
 * amounts accept {@code 1234.56}, {@code 1234,56}, {@code 1.234,56} or {@code R$ 10} and become exact
 * integer cents (never a floating point value).
 */
public final class Money {

    /** API.md: a movement is {@code 0 < amount <= 100000000000000} cents. */
    public static final long MAX_CENTS = 100_000_000_000_000L;
    private static final DecimalFormat FORMAT = new DecimalFormat("#,##0.00",
            DecimalFormatSymbols.getInstance(Locale.forLanguageTag("pt-BR")));

    private Money() {
    }

    public static String format(long cents) {
        BigDecimal v = BigDecimal.valueOf(cents, 2);
        synchronized (FORMAT) {
            return (cents < 0 ? "-R$ " : "R$ ") + FORMAT.format(v.abs());
        }
    }

    /** Signed, for statements: {@code +R$ 10,00} / {@code -R$ 10,00}. */
    public static String signed(long cents) {
        return (cents > 0 ? "+" : "") + format(cents);
    }

    /** Parses a positive amount; throws {@link IllegalArgumentException} with a sentence for a person. */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Enter an amount.");
        }
        String t = text.strip().replace("R$", "").replace(" ", "");
        if (!t.matches("[0-9]*([.,][0-9]*)*") || t.isEmpty()) {
            throw new IllegalArgumentException("An amount has only digits and a decimal separator, e.g. 12,50.");
        }
        // the decimal separator is the last ',' (or a '.' followed by at most two digits); the rest groups thousands
        int comma = t.lastIndexOf(',');
        int dot = t.lastIndexOf('.');
        int sep = comma >= 0 ? Math.max(comma, dot) : (dot >= 0 && t.length() - dot - 1 <= 2 ? dot : -1);
        String wholeText = sep < 0 ? t : t.substring(0, sep);
        if (sep >= 0 && wholeText.indexOf(t.charAt(sep)) >= 0) {
            throw new IllegalArgumentException("Use one decimal separator, e.g. 1.234,56.");
        }
        if ((wholeText.contains(".") || wholeText.contains(",")) && !wholeText.matches("\\d{1,3}([.,]\\d{3})+")) {
            throw new IllegalArgumentException("Group thousands by three digits, e.g. 1.234.567,89.");
        }
        String whole = wholeText.replace(".", "").replace(",", "");
        String frac = sep < 0 ? "" : t.substring(sep + 1);
        if (frac.contains(".") || frac.contains(",") || frac.length() > 2) {
            throw new IllegalArgumentException("Use at most two decimal places (cents).");
        }
        if (whole.isEmpty() && frac.isEmpty()) {
            throw new IllegalArgumentException("That is not an amount.");
        }
        BigDecimal v = new BigDecimal((whole.isEmpty() ? "0" : whole) + (frac.isEmpty() ? "" : "." + frac));
        BigDecimal cents = v.movePointRight(2).setScale(0, RoundingMode.UNNECESSARY);
        if (cents.signum() <= 0) {
            throw new IllegalArgumentException("The amount must be more than zero.");
        }
        if (cents.compareTo(BigDecimal.valueOf(MAX_CENTS)) > 0) {
            throw new IllegalArgumentException("That amount is larger than any bank allows.");
        }
        return cents.longValueExact();
    }
}
