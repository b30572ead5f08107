package org.distribank.app.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.ConsortiumSnapshot;
import org.distribank.app.client.OperatorClient;
import org.distribank.app.client.PeerState;

/**
 * Banks already running elsewhere, reached by URL. With the operator token, one URL is enough: the
 * bank's consortium view lists every bank with its name and URL. Without it, each URL given is a
 * bank named after its position (the customer side works; the consortium pages need the token).
 */
public final class RemoteConsortium implements ConsortiumConnection {

    private final List<BankRef> banks;
    private final String token;

    private RemoteConsortium(List<BankRef> banks, String token) {
        this.banks = List.copyOf(banks);
        this.token = token;
    }

    /**
     * Connects to the banks at {@code urls} (at least one); {@code operatorToken} may be null or blank.
     * Throws {@link BankApiException} when no bank answers or the token is refused.
     */
    public static RemoteConsortium connect(List<String> urls, String operatorToken) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("Give at least one bank URL.");
        }
        String token = operatorToken == null || operatorToken.isBlank() ? null : operatorToken.strip();
        if (token != null) {
            BankApiException last = null;
            for (String url : urls) {
                try {
                    ConsortiumSnapshot s = new OperatorClient("?", url, token).consortium();
                    List<BankRef> banks = new ArrayList<>();
                    for (PeerState p : s.peers()) {
                        banks.add(new BankRef(p.id(), p.name(), p.url()));
                    }
                    return new RemoteConsortium(banks, token);
                } catch (BankApiException e) {
                    last = e;
                }
            }
            throw last;
        }
        List<BankRef> banks = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String url = urls.get(i).strip();
            if (!new OperatorClient("?", url, null).healthy()) {
                throw new BankApiException(0, "UNREACHABLE", "No bank answers at " + url + ".");
            }
            banks.add(new BankRef("b" + (i + 1), "Bank " + (i + 1), url));
        }
        return new RemoteConsortium(banks, null);
    }

    @Override
    public String describe() {
        return banks.size() + " banks at " + banks.get(0).url() + (banks.size() > 1 ? ", ..." : "");
    }

    @Override
    public List<BankRef> banks() {
        return banks;
    }

    @Override
    public Optional<String> operatorToken() {
        return Optional.ofNullable(token);
    }

    @Override
    public boolean controlsBanks() {
        return false;
    }

    @Override
    public void killBank(String id) {
        throw new UnsupportedOperationException("Banks started elsewhere cannot be stopped from here.");
    }

    @Override
    public void restartBank(String id) {
        throw new UnsupportedOperationException("Banks started elsewhere cannot be started from here.");
    }

    @Override
    public boolean bankRunning(String id) {
        return true;
    }

    @Override
    public void close() {
        // nothing of ours runs
    }
}
