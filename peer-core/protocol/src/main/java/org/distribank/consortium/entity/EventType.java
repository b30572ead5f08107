package org.distribank.consortium.entity;

/** Kinds of protocol events given to listeners. */
public enum EventType {
    SEND,
    RECEIVE,
    ACK,
    DELIVER,
    VOTE,
    COMMIT,
    ABORT,
    PEER_UP,
    PEER_DOWN,
    /** This peer's outbound link to {@code peer} was cut, slowed or restored (detail: CUT, SLOW 300 ms, UP). */
    LINK,
    /**
     * The application's own health changed (detail: e.g. {@code DEGRADED <reason>} when a bank's applier stops on
     * a refused write or an audit does not reconcile, {@code UP} when it resumes), via
     * {@link org.distribank.consortium.ConsortiumNode#report}.
     */
    HEALTH,
    /**
     * This peer installed a new view (DESIGN.md "Views"): the event's {@link ProtocolEvent#view()} is it, and its
     * detail says so in words ({@code epoch 3: members b1,b2,b3; out b4}).
     */
    VIEW
}
