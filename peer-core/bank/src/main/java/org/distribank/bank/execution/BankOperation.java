package org.distribank.bank.execution;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.distribank.bank.consent.ConsentTerms;
import org.distribank.bank.pix.PixKeyType;

/**
 * The JSON payload of an operation in the total order. One shape for all kinds; fields a kind does not use
 * are null. {@code cpf} is the requester (authenticated by the origin bank, trusted by the others: peers are
 * members of the consortium). {@code fingerprint} digests the client's canonical request for idempotency.
 */
public record BankOperation(OperationKind kind, String cpf, String fingerprint, List<Leg> legs,
                            String key, PixKeyType keyType, AccountRef pixAccount, String maskedName,
                            ConsentTerms consent) {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    public static BankOperation movement(OperationKind kind, String cpf, String fingerprint, List<Leg> legs) {
        return new BankOperation(kind, cpf, fingerprint, List.copyOf(legs), null, null, null, null, null);
    }

    public static BankOperation pixRegister(String cpf, String fingerprint, String key, PixKeyType type,
                                            AccountRef account, String maskedName) {
        return new BankOperation(OperationKind.PIX_REGISTER, cpf, fingerprint, null, key, type, account, maskedName,
                null);
    }

    public static BankOperation pixRemove(String cpf, String fingerprint, String key, AccountRef account) {
        return new BankOperation(OperationKind.PIX_REMOVE, cpf, fingerprint, null, key, null, account, null, null);
    }

    public static BankOperation audit() {
        return new BankOperation(OperationKind.AUDIT, null, null, null, null, null, null, null, null);
    }

    /** The origin bank retires from the consortium (it names no other bank: a bank retires only itself). */
    public static BankOperation retireBank() {
        return new BankOperation(OperationKind.RETIRE_BANK, null, null, null, null, null, null, null, null);
    }

    /** A consent operation: GRANT carries the whole terms, the others only the consent's id. */
    public static BankOperation consent(OperationKind kind, String cpf, ConsentTerms terms) {
        return new BankOperation(kind, cpf, null, null, null, null, null, null, terms);
    }

    public boolean isConsent() {
        return kind == OperationKind.CONSENT_GRANT || kind == OperationKind.CONSENT_REVOKE
                || kind == OperationKind.CONSENT_LINK || kind == OperationKind.CONSENT_UNLINK;
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    /** Empty for a payload this bank cannot read (the same at every bank, so the handling stays deterministic). */
    public static Optional<BankOperation> parse(String payload) {
        try {
            BankOperation op = GSON.fromJson(payload, BankOperation.class);
            if (op == null || op.kind() == null) {
                return Optional.empty();
            }
            boolean movement = op.kind() == OperationKind.DEPOSIT || op.kind() == OperationKind.WITHDRAWAL
                    || op.kind() == OperationKind.TRANSFER;
            if (movement && (op.legs() == null || op.legs().isEmpty())) {
                return Optional.empty();
            }
            boolean pix = op.kind() == OperationKind.PIX_REGISTER || op.kind() == OperationKind.PIX_REMOVE;
            if (pix && (op.key() == null || op.pixAccount() == null)) {
                return Optional.empty();
            }
            if (op.isConsent() && (op.consent() == null || op.consent().id() == null || op.cpf() == null
                    || op.consent().bank() == null || op.consent().grantee() == null
                    || op.kind() == OperationKind.CONSENT_GRANT && (op.consent().bank() == null
                    || op.consent().account() == null || op.consent().grantee() == null
                    || op.consent().tokenHash() == null || op.consent().limit() <= 0))) {
                return Optional.empty();
            }
            return Optional.of(op);
        } catch (JsonParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean movesMoney() {
        return legs != null;
    }

    /** The banks that own the legs' accounts, in leg order. */
    public Set<String> legBanks() {
        Set<String> banks = new LinkedHashSet<>();
        if (legs != null) {
            for (Leg l : legs) {
                if (l.from() != null) {
                    banks.add(l.from().bank());
                }
                if (l.to() != null) {
                    banks.add(l.to().bank());
                }
            }
        }
        return banks;
    }
}
