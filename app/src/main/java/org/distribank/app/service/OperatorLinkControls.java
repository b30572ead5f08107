package org.distribank.app.service;

import java.util.List;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.OperatorClient;
import org.distribank.consortium.LinkMode;
import org.distribank.consortium.LinkState;

/** {@link LinkControls} over each bank's {@link OperatorClient}: the link modes are words on the wire only. */
public final class OperatorLinkControls implements LinkControls {

    private final ConsortiumConnection connection;

    public OperatorLinkControls(ConsortiumConnection connection) {
        this.connection = connection;
    }

    @Override
    public boolean canAsk(String bank) {
        return connection.operatorToken(bank).isPresent() && connection.bankRunning(bank);
    }

    @Override
    public List<LinkState> links(String bank) {
        try {
            return operator(bank).links().stream().map(OperatorLinkControls::typed).toList();
        } catch (BankApiException e) {
            throw refused(e);
        }
    }

    @Override
    public LinkState set(Direction direction, LinkMode mode, long delayMs) {
        try {
            return typed(operator(direction.from()).setLink(direction.to(), mode.name(), delayMs));
        } catch (BankApiException e) {
            throw refused(e);
        }
    }

    private OperatorClient operator(String bank) {
        return connection.operator(bank).orElseThrow(() -> new IllegalStateException("no operator token"));
    }

    /** An older bank has no link endpoint: it answers 404 (or 405 where the path exists for other methods). */
    private static LinkCallException refused(BankApiException e) {
        return new LinkCallException(e.status() == 404 || e.status() == 405, e.getMessage(), e);
    }

    private static LinkState typed(org.distribank.app.client.LinkState l) {
        try {
            return new LinkState(l.peer(), LinkMode.valueOf(l.state()), l.delayMs());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new LinkCallException(false, "it reported a link this app does not understand: " + l, e);
        }
    }
}
