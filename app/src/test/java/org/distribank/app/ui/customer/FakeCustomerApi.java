package org.distribank.app.ui.customer;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.AccountView;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.ConsentGrant;
import org.distribank.app.client.ConsentView;
import org.distribank.app.client.CustomerApi;
import org.distribank.app.client.HolderForm;
import org.distribank.app.client.LinkedAccount;
import org.distribank.app.client.Me;
import org.distribank.app.client.PixKeyView;
import org.distribank.app.client.SignedIn;
import org.distribank.app.client.StatementEntry;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.client.TransferLeg;

/**
 * One bank as a customer sees it, in memory: logins, the person's accounts, linked accounts, consents, PIX keys,
 * statements. Movements answer what a test queued in {@link #answers} (PENDING first, then the outcome), so a test
 * decides what the consortium decided. {@link #failNext} makes the next call of that name throw.
 */
final class FakeCustomerApi implements CustomerApi {

    /** Consent tokens issued by any fake bank of a test, so the bank linking one can read what it names. */
    private final Map<String, ConsentView> issued;
    private final String bank;
    final Map<String, String> logins = new HashMap<>();
    String holderName = "Maria Souza";
    String holderCpf = "52998224725";
    final List<AccountView> accounts = new ArrayList<>();
    final List<LinkedAccount> linked = new ArrayList<>();
    final List<ConsentView> consents = new ArrayList<>();
    final List<PixKeyView> keys = new ArrayList<>();
    final Map<String, List<StatementEntry>> statements = new HashMap<>();
    final Deque<TransactionResult> answers = new ArrayDeque<>();
    final Map<String, RuntimeException> failNext = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    final List<HolderForm> holdersSent = new ArrayList<>();
    final List<String> transactionIds = new ArrayList<>();
    List<TransferLeg> lastLegs;
    String lastCompany;
    private volatile String token;
    private int next = 1;

    FakeCustomerApi(String bank, Map<String, ConsentView> issued) {
        this.bank = bank;
        this.issued = issued;
    }

    static TransactionResult result(String id, String status, String reason, Integer failedLeg) {
        return new TransactionResult(id, status, reason, failedLeg, "b1", Map.of("b1", 4L, "b2", 1L));
    }

    static AccountView account(String bank, String number, String type, long balance) {
        return new AccountView(bank, number, type, balance, List.of(), true);
    }

    static BankApiException refused(int status, String code, String message) {
        return new BankApiException(status, code, message);
    }

    /** What a bank that does not answer throws. */
    static BankApiException unreachable() {
        return new BankApiException("Bank 1 did not answer (connection refused).", new java.io.IOException("refused"));
    }

    @Override
    public String bank() {
        return bank;
    }

    @Override
    public String url() {
        return "http://fake/" + bank;
    }

    @Override
    public boolean signedIn() {
        return token != null;
    }

    @Override
    public AccountView openPersonal(HolderForm holder) {
        call("openPersonal");
        holdersSent.add(holder);
        return opened("PERSONAL");
    }

    @Override
    public AccountView openJoint(List<HolderForm> holders) {
        call("openJoint");
        holdersSent.addAll(holders);
        return opened("JOINT");
    }

    @Override
    public AccountView openBusiness(String companyName, String cnpj, HolderForm admin) {
        call("openBusiness");
        lastCompany = companyName + " " + cnpj;
        holdersSent.add(admin);
        return opened("BUSINESS");
    }

    @Override
    public AccountView addHolder(String account, HolderForm holder) {
        session("addHolder");
        holdersSent.add(holder);
        return accounts.stream().filter(a -> a.account().equals(account)).findFirst().orElseThrow();
    }

    @Override
    public SignedIn signIn(String username, String password) {
        call("signIn");
        if (password == null || !password.equals(logins.get(username))) {
            throw refused(401, "UNAUTHORIZED", "Invalid credentials.");
        }
        token = "token-" + username;
        return new SignedIn(token, "2031-01-01T00:00:00Z", holderName, holderCpf, List.copyOf(accounts));
    }

    @Override
    public void signOut() {
        String t = token;
        token = null;
        call("signOut");
        if (t == null) {
            throw new IllegalStateException("signed out twice");
        }
    }

    @Override
    public Me me() {
        session("me");
        return new Me(holderName, holderCpf, List.copyOf(accounts), List.copyOf(linked));
    }

    @Override
    public ConsentGrant createConsent(String account, String grantee, long limit, Instant expiresAt, boolean read) {
        session("createConsent");
        ConsentView c = new ConsentView("c" + next++, bank, account, grantee, limit, limit,
                expiresAt == null ? "2031-03-01T00:00:00Z" : expiresAt.toString(), read, "ACTIVE");
        consents.add(c);
        String t = "consent-token-" + c.id() + "-" + bank;
        issued.put(t, c);
        return new ConsentGrant(c, t);
    }

    @Override
    public List<ConsentView> myConsents() {
        session("myConsents");
        return List.copyOf(consents);
    }

    @Override
    public void revokeConsent(String id) {
        session("revokeConsent");
        consents.replaceAll(c -> c.id().equals(id) ? new ConsentView(c.id(), c.bank(), c.account(), c.grantee(),
                c.limit(), c.remaining(), c.expiresAt(), c.read(), "REVOKED") : c);
    }

    @Override
    public LinkedAccount linkAccount(String consentToken) {
        session("linkAccount");
        ConsentView c = issued.get(consentToken);
        if (c == null) {
            throw refused(400, "INVALID_CONSENT", "That consent token names no consent.");
        }
        LinkedAccount l = new LinkedAccount(c.bank(), c.account(), c.id(), c.remaining(), c.expiresAt(), "ACTIVE",
                c.read(), null);
        linked.add(l);
        return l;
    }

    @Override
    public void unlinkAccount(AccountRef ref) {
        session("unlinkAccount");
        linked.removeIf(l -> l.ref().equals(ref));
    }

    @Override
    public AccountView account(String account) {
        session("account");
        return accounts.stream().filter(a -> a.account().equals(account)).findFirst().orElseThrow();
    }

    @Override
    public List<StatementEntry> statement(String account) {
        session("statement");
        return statements.getOrDefault(account, List.of());
    }

    @Override
    public PixKeyView addPixKey(String account, String type, String value) {
        session("addPixKey");
        String key = value != null ? value : "CPF".equals(type) ? holderCpf : "random-" + next++;
        PixKeyView k = new PixKeyView(key, type, bank, account, "M***a S***a");
        keys.add(k);
        return k;
    }

    @Override
    public List<PixKeyView> myPixKeys() {
        session("myPixKeys");
        return List.copyOf(keys);
    }

    @Override
    public PixKeyView resolvePixKey(String key) {
        session("resolvePixKey");
        return keys.stream().filter(k -> k.key().equals(key)).findFirst().orElseThrow(() ->
                refused(404, "PIX_KEY_NOT_FOUND", "No account has the PIX key " + key + "."));
    }

    @Override
    public void removePixKey(String key) {
        session("removePixKey");
        keys.removeIf(k -> k.key().equals(key));
    }

    @Override
    public TransactionResult deposit(String id, String account, long amount) {
        session("deposit");
        lastLegs = List.of(new TransferLeg(null, new AccountRef(bank, account), null, amount));
        return answer(id);
    }

    @Override
    public TransactionResult withdraw(String id, String account, long amount) {
        session("withdraw");
        lastLegs = List.of(new TransferLeg(new AccountRef(bank, account), null, null, amount));
        return answer(id);
    }

    @Override
    public TransactionResult transfer(String id, List<TransferLeg> legs) {
        session("transfer");
        lastLegs = List.copyOf(legs);
        return answer(id);
    }

    @Override
    public TransactionResult transaction(String id) {
        session("transaction");
        return answer(id);
    }

    /** Calls of {@code name} so far. */
    long count(String name) {
        return calls.stream().filter(name::equals).count();
    }

    private TransactionResult answer(String id) {
        transactionIds.add(id);
        TransactionResult r = answers.poll();
        if (r == null) {
            throw new IllegalStateException("the test queued no answer for " + id);
        }
        return new TransactionResult(id, r.status(), r.reason(), r.failedLeg(), r.origin(), r.clock());
    }

    private AccountView opened(String type) {
        AccountView a = account(bank, String.valueOf(1000 + next++), type, 0);
        accounts.add(a);
        return a;
    }

    private void session(String name) {
        call(name);
        if (token == null) {
            throw refused(401, "UNAUTHORIZED", "No session.");
        }
    }

    private void call(String name) {
        calls.add(name);
        RuntimeException e = failNext.remove(name);
        if (e != null) {
            throw e;
        }
    }
}
