package org.distribank.app.service.customer;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.distribank.app.client.CustomerApi;
import org.distribank.app.client.SignedIn;
import org.distribank.app.service.BankRef;

/**
 * One person's session at one bank, the bank of a customer window: its own client there, who signed in, and fresh
 * clients of the other banks for the link flow (which signs in there with a session of its own). Plain Java, no
 * UI: the window's view models share it, and its calls block (they run on background threads).
 *
 * <p>The window has one session, at its own bank: an account at another bank is seen and paid from only once
 * linked here (API.md v1.1), never by signing in elsewhere with this bank's password.
 */
public final class CustomerSession {

    private final BankRef bank;
    private final List<BankRef> banks;
    private final Function<String, ? extends CustomerApi> clients;
    private final CustomerApi client;
    private volatile SignedIn current;

    /**
     * @param bank    the bank of this session
     * @param banks   every bank of the consortium (transfer destinations, names)
     * @param clients a fresh client of a bank by id (one per session and bank: sessions are not shared)
     */
    public CustomerSession(BankRef bank, List<BankRef> banks, Function<String, ? extends CustomerApi> clients) {
        this.bank = bank;
        this.banks = List.copyOf(banks);
        this.clients = clients;
        this.client = clients.apply(bank.id());
    }

    public BankRef bank() {
        return bank;
    }

    public List<BankRef> banks() {
        return banks;
    }

    /** Every bank but this session's. */
    public List<BankRef> otherBanks() {
        return banks.stream().filter(b -> !b.id().equals(bank.id())).toList();
    }

    /** The name people know bank {@code id} by (b1 to "Bank 1"); the id itself when it is unknown. */
    public String bankName(String id) {
        return banks.stream().filter(b -> b.id().equals(id)).findFirst().map(BankRef::name).orElse(id);
    }

    /** The client at this session's bank: the session's token once signed in. */
    public CustomerApi client() {
        return client;
    }

    /** The client of this session at {@code bankId}: only its own bank's, and only signed in. */
    public Optional<CustomerApi> clientAt(String bankId) {
        return current != null && bank.id().equals(bankId) ? Optional.of(client) : Optional.empty();
    }

    /** A fresh client of another bank, signed in by nobody yet. */
    public CustomerApi newClient(String bankId) {
        return clients.apply(bankId);
    }

    /** Signs in at this session's bank (blocks); the client keeps the token. */
    public SignedIn signIn(String username, String password) {
        SignedIn s = client.signIn(username, password);
        current = s;
        return s;
    }

    /** Who is signed in, if anyone. */
    public Optional<SignedIn> current() {
        return Optional.ofNullable(current);
    }

    public boolean signedIn() {
        return current != null;
    }

    /** Forgets who signed in (the bank ended the session, or the window signs out). */
    public void forget() {
        current = null;
    }

    /** Forgets the session here, then ends it at the bank (blocks; may throw when the bank does not confirm). */
    public void signOut() {
        current = null;
        client.signOut();
    }
}
