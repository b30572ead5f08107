package org.distribank.app.service;

import java.util.List;
import org.distribank.consortium.LinkMode;
import org.distribank.consortium.LinkState;

/**
 * The banks' operator link controls (API.md, {@code GET} and {@code PUT /api/v1/admin/links}), typed: a
 * {@link Direction} is one bank's outbound link to another, shaped by the protocol's own {@link LinkMode}. Every
 * method may block; ViewModels call them on background threads.
 */
public interface LinkControls {

    /** Bank {@code from}'s outbound link to bank {@code to} (each bank shapes only its own side). */
    record Direction(String from, String to) {

        /** The other bank's side of the same link. */
        public Direction reversed() {
            return new Direction(to, from);
        }
    }

    /** A bank refused a link call or did not answer; {@code unsupported}: it has no link endpoint (an older bank). */
    final class LinkCallException extends RuntimeException {
        private final boolean unsupported;

        public LinkCallException(boolean unsupported, String message, Throwable cause) {
            super(message, cause);
            this.unsupported = unsupported;
        }

        public boolean unsupported() {
            return unsupported;
        }
    }

    /** Whether bank {@code bank} can be asked now: its operator token is known and it runs, as this app knows. */
    boolean canAsk(String bank);

    /**
     * Bank {@code bank}'s outbound links as it reports them; a peer it does not list is up.
     *
     * @throws LinkCallException when the bank refuses or does not answer
     */
    List<LinkState> links(String bank);

    /**
     * Shapes {@code direction}: {@code delayMs} only for {@link LinkMode#SLOW}.
     *
     * @throws LinkCallException when the bank refuses or does not answer
     * @throws IllegalStateException when {@code direction.from()}'s operator token is not known
     */
    LinkState set(Direction direction, LinkMode mode, long delayMs);
}
