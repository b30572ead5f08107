package org.distribank.app.client;

import com.google.gson.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The customer API of one bank (API.md, "Bank peer: customer API"). A client holds at most one
 * session; {@link #signIn} keeps its token and every later call sends it. Thread-safe; calls block.
 */
public final class CustomerClient implements CustomerApi {

    private final String bank;
    private final HttpJson http;
    private volatile String token;

    public CustomerClient(String bank, String url) {
        this.bank = bank;
        this.http = new HttpJson(url);
    }

    public String bank() {
        return bank;
    }

    public String url() {
        return http.baseUrl();
    }

    public boolean signedIn() {
        return token != null;
    }

    /** Opens a PERSONAL account (no session needed). */
    public AccountView openPersonal(HolderForm holder) {
        JsonObject b = new JsonObject();
        b.addProperty("type", "PERSONAL");
        b.add("holder", Parse.holder(holder));
        return Parse.account(http.post("/api/v1/accounts", null, b));
    }

    /** Opens a JOINT account of two or more holders, each with a login of their own. */
    public AccountView openJoint(List<HolderForm> holders) {
        JsonObject b = new JsonObject();
        b.addProperty("type", "JOINT");
        b.add("holders", Parse.array(holders.stream().map(Parse::holder).toList()));
        return Parse.account(http.post("/api/v1/accounts", null, b));
    }

    /** Opens a BUSINESS account for a company (CNPJ), with {@code admin} as its administrator. */
    public AccountView openBusiness(String companyName, String cnpj, HolderForm admin) {
        JsonObject c = new JsonObject();
        c.addProperty("name", companyName);
        c.addProperty("cnpj", cnpj);
        JsonObject b = new JsonObject();
        b.addProperty("type", "BUSINESS");
        b.add("company", c);
        b.add("holder", Parse.holder(admin));
        return Parse.account(http.post("/api/v1/accounts", null, b));
    }

    /** Adds a co-holder (JOINT, by a holder) or an employee (BUSINESS, by its admin). */
    public AccountView addHolder(String account, HolderForm holder) {
        return Parse.account(http.post("/api/v1/accounts/" + seg(account) + "/holders", token, Parse.holder(holder)));
    }

    public SignedIn signIn(String username, String password) {
        JsonObject b = new JsonObject();
        b.addProperty("username", username);
        b.addProperty("password", password);
        JsonObject o = http.post("/api/v1/sessions", null, b);
        JsonObject h = o.getAsJsonObject("holder");
        SignedIn s = new SignedIn(Parse.str(o, "token"), Parse.str(o, "expiresAt"), Parse.str(h, "name"),
                Parse.str(h, "cpf"), Parse.list(o, "accounts", Parse::account));
        token = s.token();
        return s;
    }

    public void signOut() {
        String t = token;
        token = null;
        if (t != null) {
            http.delete("/api/v1/sessions/current", t);
        }
    }

    public Me me() {
        JsonObject o = http.get("/api/v1/me", token);
        JsonObject h = o.getAsJsonObject("holder");
        return new Me(Parse.str(h, "name"), Parse.str(h, "cpf"), Parse.list(o, "accounts", Parse::account),
                Parse.list(o, "linked", Parse::linked));
    }

    // ---- consents (API.md v1.1): given at the account's own bank, linked at the bank that will debit it

    /**
     * At the account's own bank: lets bank {@code grantee} debit {@code account} up to {@code limit} cents until
     * {@code expiresAt} (null: the bank's longest, 90 days); {@code read} lets the grantee show its balance.
     */
    public ConsentGrant createConsent(String account, String grantee, long limit, Instant expiresAt, boolean read) {
        JsonObject b = new JsonObject();
        b.addProperty("account", account);
        b.addProperty("grantee", grantee);
        b.addProperty("limit", limit);
        if (expiresAt != null) {
            b.addProperty("expiresAt", expiresAt.toString());
        }
        b.addProperty("read", read);
        JsonObject o = http.post("/api/v1/consents", token, b);
        return new ConsentGrant(Parse.consent(o), Parse.str(o, "consent"));
    }

    /** The consents this holder gave at this bank (their tokens are never shown again). */
    public List<ConsentView> myConsents() {
        return Parse.list(http.get("/api/v1/consents", token), "consents", Parse::consent);
    }

    /** Revokes a consent given here: it authorises nothing ordered after this. */
    public void revokeConsent(String id) {
        http.delete("/api/v1/consents/" + seg(id), token);
    }

    /** At the grantee bank: links the account a consent token names (in the body, never the URL). */
    public LinkedAccount linkAccount(String consentToken) {
        JsonObject b = new JsonObject();
        b.addProperty("consent", consentToken);
        return Parse.linked(http.post("/api/v1/linked-accounts", token, b));
    }

    public void unlinkAccount(AccountRef ref) {
        http.delete("/api/v1/linked-accounts/" + seg(ref.bank()) + "/" + seg(ref.account()), token);
    }

    public AccountView account(String account) {
        return Parse.account(http.get("/api/v1/accounts/" + seg(account), token));
    }

    public List<StatementEntry> statement(String account) {
        JsonObject o = http.get("/api/v1/accounts/" + seg(account) + "/statement", token);
        return Parse.list(o, "entries", e -> new StatementEntry(Parse.str(e, "transaction"), Parse.str(e, "kind"),
                Parse.num(e, "amount"), Parse.num(e, "balanceAfter"), Parse.str(e, "at"), Parse.str(e, "counterparty")));
    }

    /** Registers a PIX key; {@code value} is null for RANDOM, CPF and CNPJ keys (taken from the holder). */
    public PixKeyView addPixKey(String account, String type, String value) {
        JsonObject b = new JsonObject();
        b.addProperty("account", account);
        b.addProperty("type", type);
        if (value != null && !value.isBlank()) {
            b.addProperty("value", value);
        }
        return pix(http.post("/api/v1/pix-keys", token, b));
    }

    public List<PixKeyView> myPixKeys() {
        return Parse.list(http.get("/api/v1/pix-keys", token), "keys", CustomerClient::pix);
    }

    public PixKeyView resolvePixKey(String key) {
        return pix(http.get("/api/v1/pix-keys/" + seg(key), token));
    }

    public void removePixKey(String key) {
        http.delete("/api/v1/pix-keys/" + seg(key), token);
    }

    public TransactionResult deposit(String id, String account, long amount) {
        return cash("/api/v1/deposits", id, account, amount);
    }

    public TransactionResult withdraw(String id, String account, long amount) {
        return cash("/api/v1/withdrawals", id, account, amount);
    }

    /** A transfer of one or many legs; all commit or none does. {@code id} is the idempotency key. */
    public TransactionResult transfer(String id, List<TransferLeg> legs) {
        List<JsonObject> out = new ArrayList<>();
        for (TransferLeg l : legs) {
            JsonObject o = new JsonObject();
            o.add("from", Parse.ref(l.from()));
            if (l.pixKey() != null) {
                JsonObject to = new JsonObject();
                to.addProperty("pixKey", l.pixKey());
                o.add("to", to);
            } else {
                o.add("to", Parse.ref(l.to()));
            }
            o.addProperty("amount", l.amount());
            out.add(o);
        }
        JsonObject b = new JsonObject();
        b.addProperty("id", id == null ? newId() : id);
        b.add("legs", Parse.array(out));
        return Parse.transaction(http.post("/api/v1/transfers", token, b));
    }

    public TransactionResult transaction(String id) {
        return Parse.transaction(http.get("/api/v1/transactions/" + seg(id), token));
    }

    public static String newId() {
        return CustomerApi.newId();
    }

    private TransactionResult cash(String path, String id, String account, long amount) {
        JsonObject b = new JsonObject();
        b.addProperty("id", id == null ? newId() : id);
        b.addProperty("account", account);
        b.addProperty("amount", amount);
        return Parse.transaction(http.post(path, token, b));
    }

    private static PixKeyView pix(JsonObject o) {
        return new PixKeyView(Parse.str(o, "key"), Parse.str(o, "type"), Parse.str(o, "bank"), Parse.str(o, "account"),
                Parse.str(o, "name"));
    }

    private static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
