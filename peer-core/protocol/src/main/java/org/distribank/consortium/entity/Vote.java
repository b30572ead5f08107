package org.distribank.consortium.entity;

/** One voter's verdict on an operation; {@code reason} is set when it is NO. */
public record Vote(boolean yes, String reason) {

    public static Vote yesVote() {
        return new Vote(true, null);
    }

    public static Vote no(String reason) {
        return new Vote(false, reason == null ? "REFUSED" : reason);
    }
}
