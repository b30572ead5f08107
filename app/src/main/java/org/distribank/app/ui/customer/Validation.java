package org.distribank.app.ui.customer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.distribank.app.ui.common.Money;
import org.distribank.bank.identity.Cnpj;
import org.distribank.bank.identity.Cpf;
import org.distribank.bank.pix.InvalidPixKeyException;
import org.distribank.bank.pix.PixKey;
import org.distribank.bank.pix.PixKeyType;

/**
 * The form rules the customer window checks before it sends anything, as sentences: each method gives
 * {@code null} for a valid value, else what to fix. They are a quick hint only; the bank checks the same
 * (CPF and CNPJ check digits with the bank's own {@link Cpf} and {@link Cnpj}, so there is one algorithm).
 */
public final class Validation {

    /** The bank's rule for usernames (BANK.md). */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,64}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final int MIN_PASSWORD = 8;
    /** bcrypt reads at most 72 bytes. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private Validation() {
    }

    public static String name(String text) {
        if (blank(text)) {
            return "Enter the full name.";
        }
        return text.strip().length() > 200 ? "A name has at most 200 characters." : null;
    }

    public static String companyName(String text) {
        if (blank(text)) {
            return "Enter the company's name.";
        }
        return text.strip().length() > 200 ? "A name has at most 200 characters." : null;
    }

    public static String cpf(String text) {
        if (blank(text)) {
            return "Enter the CPF.";
        }
        String t = text.strip();
        if (!t.matches("[0-9.\\-]+") || t.replaceAll("[^0-9]", "").length() != 11) {
            return "A CPF has 11 digits, like 529.982.247-25.";
        }
        return Cpf.isValid(t) ? null : "This CPF's check digits do not match: check the number.";
    }

    public static String cnpj(String text) {
        if (blank(text)) {
            return "Enter the CNPJ.";
        }
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (!t.matches("[0-9A-Z./\\-]+") || t.replaceAll("[^0-9A-Z]", "").length() != 14) {
            return "A CNPJ has 14 characters, like 11.222.333/0001-81.";
        }
        return Cnpj.isValid(t) ? null : "This CNPJ's check digits do not match: check the number.";
    }

    public static String username(String text) {
        if (blank(text)) {
            return "Choose a username.";
        }
        return USERNAME.matcher(text.strip()).matches() ? null
                : "A username is 3 to 64 letters, digits, '.', '_' or '-'.";
    }

    public static String password(String text) {
        if (text == null || text.isEmpty()) {
            return "Choose a password of at least " + MIN_PASSWORD + " characters.";
        }
        if (text.length() < MIN_PASSWORD) {
            return "A password has at least " + MIN_PASSWORD + " characters (" + text.length() + " so far).";
        }
        return text.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES
                ? "A password has at most " + MAX_PASSWORD_BYTES + " bytes." : null;
    }

    /** Optional: empty is fine. */
    public static String email(String text) {
        if (blank(text)) {
            return null;
        }
        return EMAIL.matcher(text.strip()).matches() && text.strip().length() <= 200 ? null
                : "That is not an e-mail address (like name@example.com).";
    }

    /** Optional: empty is fine; otherwise the international form PIX uses. */
    public static String phone(String text) {
        if (blank(text)) {
            return null;
        }
        return pixValue(PixKeyType.PHONE, text);
    }

    public static String amount(String text) {
        try {
            Money.parse(text);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    public static String accountNumber(String text) {
        if (blank(text)) {
            return "Enter the account number.";
        }
        return ACCOUNT.matcher(text.strip()).matches() ? null : "An account number is like 1001.";
    }

    /**
     * The value typed for a new PIX key of {@code type}: e-mail and phone need one; CPF, CNPJ and random
     * keys are taken from the holder, the company and the bank, so none is asked for.
     */
    public static String pixValue(PixKeyType type, String text) {
        if (type == null) {
            return "Choose the kind of key.";
        }
        if (type == PixKeyType.CPF || type == PixKeyType.CNPJ || type == PixKeyType.RANDOM) {
            return null;
        }
        if (blank(text)) {
            return type == PixKeyType.EMAIL ? "Enter the e-mail address." : "Enter the phone number.";
        }
        try {
            PixKey.parse(type, text);
            return null;
        } catch (InvalidPixKeyException e) {
            return sentence(e.getMessage());
        }
    }

    /** Any PIX key, typed without its kind (to resolve it or to pay it). */
    public static String pixKey(String text) {
        if (blank(text)) {
            return "Enter a PIX key.";
        }
        try {
            PixKey.parseAny(text);
            return null;
        } catch (InvalidPixKeyException e) {
            String m = text.contains("@") || text.strip().startsWith("+") ? " " + sentence(e.getMessage()) : "";
            return "That is not a PIX key: a CPF, CNPJ, e-mail, phone (+5511987654321) or random key." + m;
        }
    }

    /** {@code 52998224725} as {@code 529.982.247-25}; anything else as it is. */
    public static String formatCpf(String cpf) {
        return cpf == null ? "" : Cpf.parse(cpf).map(Cpf::formatted).orElse(cpf);
    }

    static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    static String sentence(String s) {
        if (s == null || s.isBlank()) {
            return "";
        }
        String t = Character.toUpperCase(s.charAt(0)) + s.substring(1);
        return t.endsWith(".") ? t : t + ".";
    }
}
