package org.distribank.bank.execution;

import java.util.List;
import org.distribank.bank.schema.OptionalField;

/** {@code POST /api/v1/transfers}: legs that commit together or not at all. */
public record TransferRequest(@OptionalField String id, List<LegRequest> legs) {

    public TransferRequest {
        legs = List.copyOf(legs);
    }

    /** One leg: {@code from} an account, {@code to} an account or a PIX key, {@code amount} cents. */
    public record LegRequest(AccountRef from, Payee to, long amount) {
    }

    /** A leg's destination: {@code {"bank","account"}} or {@code {"pixKey"}} (a canonical key). */
    public record Payee(@OptionalField String bank, @OptionalField String account, @OptionalField String pixKey) {

        public static Payee account(String bank, String account) {
            return new Payee(bank, account, null);
        }

        public static Payee pixKey(String key) {
            return new Payee(null, null, key);
        }
    }
}
