package org.distribank.bank.consent;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.distribank.bank.account.Account;
import org.distribank.bank.account.AccountDirectory;
import org.distribank.bank.execution.AccountRef;
import org.distribank.bank.execution.BankMachine;
import org.distribank.bank.execution.BankOperation;
import org.distribank.bank.execution.DecisionWaiters;
import org.distribank.bank.execution.OperationKind;
import org.distribank.bank.execution.Reason;
import org.distribank.bank.execution.TransactionService;
import org.distribank.bank.peer.PeerBankClient;
import org.distribank.bank.session.Session;
import org.distribank.common.ApiException;
import org.distribank.consortium.entity.Outcome;

/**
 * Consents (API.md v1.1, the model of Open Finance payment-initiation consent): a holder signed in at the
 * account's own bank lets another bank debit it, up to a limit and until a date; at that other bank (the
 * grantee) the holder links it with the token, and from then on pays from it there. Grants, revocations,
 * links and unlinks go through the total order, so every bank's {@link ConsentDirectory} agrees and a restart
 * rebuilds it; the owning bank judges each debit in its vote.
 *
 * <p>The token is {@code <consent id>.<32 random bytes>}, shown once at creation. Only its SHA-256 is ordered,
 * so the grantee can check a token it is shown but no bank can make one; it travels only in request bodies.
 */
public final class ConsentService {

    public static final Duration MAX_LIFETIME = Duration.ofDays(90);
    /** A holder's live consents per account: enough for every other bank of a consortium of eight, many times. */
    public static final int MAX_PER_ACCOUNT = 50;

    private final String self;
    private final List<String> banks;
    private final ConsentDirectory directory;
    private final AccountDirectory accounts;
    private final BankMachine machine;
    private final DecisionWaiters waiters;
    private final TransactionService transactions;
    private final PeerBankClient peers;
    private final Clock clock;
    private final long waitMs;
    private final SecureRandom random = new SecureRandom();

    public ConsentService(String self, BankMachine machine, DecisionWaiters waiters, AccountDirectory accounts,
                          TransactionService transactions,
                          PeerBankClient peers, Clock clock, long waitMs) {
        this.self = self;
        this.banks = machine.peerIds();
        this.directory = machine.consents();
        this.accounts = accounts;
        this.machine = machine;
        this.waiters = waiters;
        this.transactions = transactions;
        this.peers = peers;
        this.clock = clock;
        this.waitMs = waitMs;
    }

    /** {@code POST /api/v1/consents}: {@code {"account","grantee","limit","expiresAt"?,"read"?}}. */
    public JsonObject create(Session s, ConsentRequest r) {
        String accountId = r.account();
        String grantee = r.grantee();
        long limit = r.limit();
        Instant now = clock.instant();
        Instant expiresAt = expiresAt(r.expiresAt(), now);
        boolean read = Boolean.TRUE.equals(r.read());
        Account a = accounts.get(accountId).filter(x -> x.payableBy(s.cpf())).orElseThrow(() -> ApiException.notFound(
                "ACCOUNT_NOT_FOUND", "You hold no account " + accountId + " at this bank."));
        if (!banks.contains(grantee)) {
            throw ApiException.notFound("BANK_NOT_FOUND", "There is no bank " + grantee + " in the consortium.");
        }
        if (grantee.equals(self)) {
            throw ApiException.badRequest("SELF_GRANTEE", "A consent is for another bank: here you pay directly.");
        }
        long live = directory.ofHolder(s.cpf(), c -> a.id().equals(c.terms().account())
                && self.equals(c.terms().bank()) && !c.revoked() && !c.expiredAt(now)).size();
        if (live >= MAX_PER_ACCOUNT) {
            throw ApiException.conflict("TOO_MANY_CONSENTS", "You already gave " + live
                    + " live consents for this account; revoke one first.");
        }
        String id = "c-" + UUID.randomUUID();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ConsentTerms terms = new ConsentTerms(id, self, a.id(), grantee, limit, expiresAt.toEpochMilli(), read,
                sha256(token));
        Outcome o = transactions.orderOwn(id, BankOperation.consent(OperationKind.CONSENT_GRANT, s.cpf(), terms));
        if (!o.committed()) {
            throw refusal(o);
        }
        Consent c = directory.get(id).orElse(new Consent(terms, s.cpf(), limit, false, false));
        JsonObject out = view(c, now);
        out.addProperty("consent", token);
        return out;
    }

    /** {@code GET /api/v1/consents}: the consents this holder gave at this bank (tokens are never shown again). */
    public JsonObject mine(Session s) {
        Instant now = clock.instant();
        JsonArray list = new JsonArray();
        for (Consent c : directory.ofHolder(s.cpf(), c -> self.equals(c.terms().bank()))) {
            list.add(view(c, now));
        }
        JsonObject out = new JsonObject();
        out.add("consents", list);
        return out;
    }

    /** {@code DELETE /api/v1/consents/{id}}: effective for every debit ordered after it. */
    public void revoke(Session s, String id) {
        Consent c = directory.get(id).filter(x -> self.equals(x.terms().bank()) && s.cpf().equals(x.cpf()))
                .orElseThrow(() -> ApiException.notFound("CONSENT_NOT_FOUND", "You gave no consent " + id + " here."));
        if (c.revoked()) {
            return;
        }
        Outcome o = transactions.orderOwn("revoke-" + UUID.randomUUID(),
                BankOperation.consent(OperationKind.CONSENT_REVOKE, s.cpf(), ConsentTerms.ref(c)));
        if (!o.committed() && !directory.get(id).map(Consent::revoked).orElse(false)) {
            throw refusal(o);
        }
    }

    /** {@code POST /api/v1/linked-accounts}: {@code {"consent":"<token>"}}, at the grantee bank. */
    public JsonObject link(Session s, LinkAccountRequest r) {
        String token = r.consent();
        int dot = token.indexOf('.');
        String id = dot > 0 ? token.substring(0, dot) : "";
        // the grant may still be on its way here: it was decided at the owning bank before the token was shown
        if (!id.isEmpty() && directory.get(id).isEmpty()) {
            waiters.await(id, waitMs);
        }
        Consent c = directory.get(id).filter(x -> MessageDigest.isEqual(
                        sha256(token).getBytes(StandardCharsets.US_ASCII),
                        x.terms().tokenHash().getBytes(StandardCharsets.US_ASCII)))
                .filter(x -> self.equals(x.terms().grantee()) && s.cpf().equals(x.cpf()))
                .orElseThrow(() -> new ApiException(403, BankMachine.NO_CONSENT,
                        "This consent is not one given to this bank by you."));
        Instant now = clock.instant();
        if (c.revoked()) {
            throw new ApiException(403, BankMachine.NO_CONSENT, "This consent was revoked.");
        }
        if (c.expiredAt(now)) {
            throw new ApiException(403, BankMachine.CONSENT_EXPIRED, "This consent expired at " + c.expiresAt() + ".");
        }
        if (!c.linked()) {
            Outcome o = transactions.orderOwn("link-" + UUID.randomUUID(),
                    BankOperation.consent(OperationKind.CONSENT_LINK, s.cpf(), ConsentTerms.ref(c)));
            if (!o.committed()) {
                throw refusal(o);
            }
        }
        return linkedView(directory.get(id).orElse(c), now, false);
    }

    /** {@code DELETE /api/v1/linked-accounts/{bank}/{account}}. */
    public void unlink(Session s, String bank, String account) {
        List<Consent> linked = linkedBy(s.cpf(), new AccountRef(bank, account));
        if (linked.isEmpty()) {
            throw ApiException.notFound("LINK_NOT_FOUND", "You have not linked account " + account + " of bank "
                    + bank + " here.");
        }
        for (Consent c : linked) {
            transactions.orderOwn("unlink-" + UUID.randomUUID(),
                    BankOperation.consent(OperationKind.CONSENT_UNLINK, s.cpf(), ConsentTerms.ref(c)));
        }
    }

    /**
     * {@code GET /me}'s "linked": the accounts at other banks this holder linked here; the balance only where
     * the consent allows reading, asked of the owning bank (which checks that this bank is the grantee).
     */
    public JsonArray linked(Session s) {
        Instant now = clock.instant();
        JsonArray list = new JsonArray();
        for (Consent c : directory.ofHolder(s.cpf(), c -> self.equals(c.terms().grantee()) && c.linked()
                && !c.revoked())) {
            list.add(linkedView(c, now, true));
        }
        return list;
    }

    private List<Consent> linkedBy(String cpf, AccountRef ref) {
        return directory.linked(self, cpf, ref.bank(), ref.account());
    }

    private JsonObject linkedView(Consent c, Instant now, boolean withBalance) {
        JsonObject o = new JsonObject();
        o.addProperty("bank", c.terms().bank());
        o.addProperty("account", c.terms().account());
        o.addProperty("consentId", c.id());
        o.addProperty("remaining", c.remaining());
        o.addProperty("expiresAt", c.expiresAt().toString());
        o.addProperty("status", c.status(now));
        o.addProperty("read", c.terms().read());
        if (withBalance && c.terms().read() && !c.expiredAt(now)) {
            peers.consentBalance(c.terms().bank(), c.id())
                    .ifPresent(b -> o.addProperty("balance", b));
        }
        return o;
    }

    private static JsonObject view(Consent c, Instant now) {
        JsonObject o = new JsonObject();
        o.addProperty("id", c.id());
        o.addProperty("bank", c.terms().bank());
        o.addProperty("account", c.terms().account());
        o.addProperty("grantee", c.terms().grantee());
        o.addProperty("limit", c.terms().limit());
        o.addProperty("remaining", c.remaining());
        o.addProperty("expiresAt", c.expiresAt().toString());
        o.addProperty("read", c.terms().read());
        o.addProperty("status", c.status(now));
        return o;
    }

    private static Instant expiresAt(String text, Instant now) {
        Instant latest = now.plus(MAX_LIFETIME);
        if (text == null) {
            return latest;
        }
        Instant at;
        try {
            at = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("INVALID_EXPIRY", "'expiresAt' is an ISO-8601 instant, e.g. "
                    + latest.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ".");
        }
        if (!at.isAfter(now) || at.isAfter(latest)) {
            throw ApiException.badRequest("INVALID_EXPIRY", "'expiresAt' must be in the future and at most "
                    + MAX_LIFETIME.toDays() + " days away.");
        }
        return at;
    }

    private static ApiException refusal(Outcome o) {
        String code = Reason.parse(o.reason()).code();
        return switch (code == null ? "" : code) {
            case BankMachine.ACCOUNT_NOT_FOUND, BankMachine.NOT_A_HOLDER -> ApiException.notFound(
                    BankMachine.ACCOUNT_NOT_FOUND, "You hold no such account at this bank.");
            case BankMachine.CONSENT_EXPIRED -> new ApiException(403, code, "This consent expired.");
            default -> new ApiException(403, BankMachine.NO_CONSENT, "The consent is not live: " + code + ".");
        };
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
