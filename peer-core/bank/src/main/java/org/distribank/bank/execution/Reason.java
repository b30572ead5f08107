package org.distribank.bank.execution;

/** A vote's reason as sent in the order ("INSUFFICIENT_FUNDS@1"), split into the code and the failed leg. */
public record Reason(String code, Integer failedLeg) {

    public static Reason parse(String reason) {
        if (reason == null) {
            return new Reason(null, null);
        }
        int at = reason.lastIndexOf('@');
        if (at > 0) {
            try {
                return new Reason(reason.substring(0, at), Integer.parseInt(reason.substring(at + 1)));
            } catch (NumberFormatException e) {
                return new Reason(reason, null);
            }
        }
        return new Reason(reason, null);
    }
}
