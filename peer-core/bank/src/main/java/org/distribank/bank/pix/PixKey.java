package org.distribank.bank.pix;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.distribank.bank.identity.Cnpj;
import org.distribank.bank.identity.Cpf;

/**
 * A PIX key in its canonical form, so that one key has one spelling consortium-wide:
 * CPF and CNPJ as bare characters, e-mail in lower case, phone in E.164 ({@code +5511987654321}),
 * random keys as lower-case UUIDs. Formats follow the Central Bank's DICT rules.
 */
public record PixKey(PixKeyType type, String value) {

    /** DICT's limit for e-mail keys. */
    public static final int MAX_EMAIL_LENGTH = 77;

    private static final Pattern EMAIL = Pattern.compile(
            "^[a-z0-9.!#$&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$");
    private static final Pattern PHONE = Pattern.compile("^\\+[1-9][0-9]{9,14}$");
    private static final Pattern BRAZILIAN_PHONE = Pattern.compile("^\\+55[1-9][0-9][0-9]{8,9}$");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    public PixKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /** A new random key, as the bank hands out for {@link PixKeyType#RANDOM}. */
    public static PixKey random() {
        return new PixKey(PixKeyType.RANDOM, UUID.randomUUID().toString());
    }

    /**
     * Checks and canonicalises a key a customer typed.
     *
     * @throws InvalidPixKeyException with a sentence a person understands
     */
    public static PixKey parse(PixKeyType type, String text) {
        Objects.requireNonNull(type, "type");
        if (text == null || text.isBlank()) {
            throw new InvalidPixKeyException("a " + type + " key needs a value");
        }
        String trimmed = text.strip();
        return switch (type) {
            case CPF -> new PixKey(type, Cpf.parse(trimmed)
                    .orElseThrow(() -> new InvalidPixKeyException("not a valid CPF: check its digits")).digits());
            case CNPJ -> new PixKey(type, Cnpj.parse(trimmed)
                    .orElseThrow(() -> new InvalidPixKeyException("not a valid CNPJ: check its digits")).value());
            case EMAIL -> {
                String email = trimmed.toLowerCase(Locale.ROOT);
                if (email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
                    throw new InvalidPixKeyException("not a valid e-mail address (at most " + MAX_EMAIL_LENGTH
                            + " characters, like name@example.com)");
                }
                yield new PixKey(type, email);
            }
            case PHONE -> {
                String phone = trimmed.replaceAll("[\\s()\\-.]", "");
                if (!PHONE.matcher(phone).matches() || (phone.startsWith("+55") && !BRAZILIAN_PHONE.matcher(phone)
                        .matches())) {
                    throw new InvalidPixKeyException(
                            "not a valid phone number: use the international form, like +5511987654321");
                }
                yield new PixKey(type, phone);
            }
            case RANDOM -> {
                String uuid = trimmed.toLowerCase(Locale.ROOT);
                if (!UUID_TEXT.matcher(uuid).matches()) {
                    throw new InvalidPixKeyException("a random key is a UUID the bank generated");
                }
                yield new PixKey(type, uuid);
            }
        };
    }

    /**
     * The type a bare key belongs to, for resolving a key typed without its type (a transfer
     * to {@code {"pixKey": "..."}}): an e-mail has an {@code @}, a phone starts with {@code +},
     * a UUID is random, eleven digits a CPF, fourteen characters a CNPJ.
     */
    public static PixKey parseAny(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidPixKeyException("a PIX key is needed");
        }
        String trimmed = text.strip();
        PixKeyType type;
        if (trimmed.contains("@")) {
            type = PixKeyType.EMAIL;
        } else if (trimmed.startsWith("+")) {
            type = PixKeyType.PHONE;
        } else if (UUID_TEXT.matcher(trimmed.toLowerCase(Locale.ROOT)).matches()) {
            type = PixKeyType.RANDOM;
        } else if (Cpf.isValid(trimmed)) {
            type = PixKeyType.CPF;
        } else {
            type = PixKeyType.CNPJ;
        }
        return parse(type, trimmed);
    }
}
