package org.distribank.app.service;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.ConsortiumSnapshot;
import org.distribank.app.client.OperatorClient;
import org.distribank.app.client.PeerState;

/**
 * Banks already running elsewhere, reached by URL. With an operator token, one URL is enough: the
 * bank's consortium view lists every bank with its name and URL. Without it, each URL given is a
 * bank named after its position (the customer side works; the consortium pages need the token).
 *
 * <p>Each bank has its own operator token. The token text may be one token (then used for every bank:
 * enough for the bank it belongs to, or for banks configured with one token), {@code b1=... b2=...}
 * (a token per bank), or the launcher's whole JSON line (its {@code banks[].operatorToken}).
 */
public final class RemoteConsortium implements ConsortiumConnection {

    /** {@code b1=TOKEN b2=TOKEN} (spaces, commas or semicolons between). */
    private static final java.util.regex.Pattern PER_BANK = java.util.regex.Pattern.compile(
            "[A-Za-z][\\w-]*=[^\\s,;=][^\\s,;]*(?:[\\s,;]+[A-Za-z][\\w-]*=[^\\s,;=][^\\s,;]*)*");

    private final List<BankRef> banks;
    /** The one token given, or b1's (the first) of several; null without any. */
    private final String token;
    /** A token per bank id, when given per bank. */
    private final Map<String, String> tokens;

    private RemoteConsortium(List<BankRef> banks, String token, Map<String, String> tokens) {
        this.banks = List.copyOf(banks);
        this.token = token;
        this.tokens = Map.copyOf(tokens);
    }

    /**
     * Connects to the banks at {@code urls} (at least one); {@code operatorToken} may be null or blank, one
     * token, a token per bank or the launcher's JSON line (above). Throws {@link BankApiException} when no
     * bank answers or every token is refused.
     */
    public static RemoteConsortium connect(List<String> urls, String operatorToken) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("Give at least one bank URL.");
        }
        Map<String, String> perBank = new LinkedHashMap<>();
        String token = parseTokens(operatorToken, perBank);
        if (token != null) {
            Set<String> candidates = new LinkedHashSet<>(perBank.values());
            candidates.add(token);
            BankApiException last = null;
            for (String url : urls) {
                for (String t : candidates) { // the URL's bank is not known yet: its own token is among these
                    try {
                        ConsortiumSnapshot s = new OperatorClient("?", url.strip(), t).consortium();
                        List<BankRef> banks = new ArrayList<>();
                        for (PeerState p : s.peers()) {
                            banks.add(new BankRef(p.id(), p.name(), p.url()));
                        }
                        return new RemoteConsortium(banks, token, perBank);
                    } catch (BankApiException e) {
                        last = e;
                    }
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
        return new RemoteConsortium(banks, null, Map.of());
    }

    /**
     * Reads the token text into {@code perBank} (when it names banks) and returns the token for a bank not
     * named (the one token, or the first bank's), or null when there is none.
     */
    static String parseTokens(String text, Map<String, String> perBank) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        if (t.startsWith("{")) {
            try {
                JsonObject line = JsonParser.parseString(t).getAsJsonObject();
                if (line.has("banks")) {
                    for (JsonElement e : line.getAsJsonArray("banks")) {
                        JsonObject b = e.getAsJsonObject();
                        if (b.has("id") && b.has("operatorToken")) {
                            perBank.put(b.get("id").getAsString(), b.get("operatorToken").getAsString());
                        }
                    }
                }
                if (line.has("operatorToken")) {
                    return line.get("operatorToken").getAsString();
                }
                return perBank.isEmpty() ? null : perBank.values().iterator().next();
            } catch (RuntimeException e) {
                throw new BankApiException(0, "BAD_TOKEN", "The operator token looks like JSON but is not the"
                        + " launcher's line.");
            }
        }
        if (PER_BANK.matcher(t).matches()) { // a token ending in "=" (Base64 padding) is one token
            for (String part : t.split("[\\s,;]+")) {
                int eq = part.indexOf('=');
                perBank.put(part.substring(0, eq), part.substring(eq + 1));
            }
            return perBank.values().iterator().next();
        }
        return t;
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
    public Optional<String> operatorToken(String id) {
        return Optional.ofNullable(tokens.getOrDefault(id, token));
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
