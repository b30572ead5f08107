package org.distribank.bank.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every bank's replica of the consortium's consents, changed only by decided operations (grant, revoke, link,
 * unlink, committed debits), so it is the same at every bank at the same delivery position and is rebuilt by
 * the bank's snapshot ({@link #reload}) and the log's replay after it. The owning bank judges debits from it in
 * its votes; the grantee checks tokens and shows linked accounts from it. Thread-safe: written on the protocol thread, read by request threads.
 */
public final class ConsentDirectory {

    private final Map<String, Consent> byId = new HashMap<>();
    /**
     * The ids of each holder's consents: every reader asks about one holder (a transfer's debit, /me, the holder's
     * list), so none scans the whole consortium's consents. Consents are only flagged, never removed.
     */
    private final Map<String, List<String>> byHolder = new HashMap<>();

    public synchronized Optional<Consent> get(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    public synchronized void grant(ConsentTerms terms, String cpf) {
        if (byId.putIfAbsent(terms.id(), new Consent(terms, cpf, terms.limit(), false, false)) == null) {
            byHolder.computeIfAbsent(cpf, k -> new ArrayList<>()).add(terms.id());
        }
    }

    /** A revocation applies only to the consent its reference names whole (its owner was the voter). */
    public synchronized void revoke(ConsentTerms ref) {
        byId.computeIfPresent(ref.id(), (k, c) -> ref.names(c) ? c.withRevoked() : c);
    }

    /** A link or unlink applies only to the consent its reference names whole (its grantee was the voter). */
    public synchronized void link(ConsentTerms ref, boolean linked) {
        byId.computeIfPresent(ref.id(), (k, c) -> ref.names(c) ? c.withLinked(linked) : c);
    }

    /** A committed debit through the consent lowers what is left of its limit. */
    public synchronized void debit(String id, long amount) {
        byId.computeIfPresent(id, (k, c) -> c.debited(amount));
    }

    /** The consents holder {@code cpf} gave that match, soonest expiry first (then by id). */
    public synchronized List<Consent> ofHolder(String cpf, Predicate<Consent> filter) {
        List<Consent> out = new ArrayList<>();
        for (String id : byHolder.getOrDefault(cpf, List.of())) {
            Consent c = byId.get(id);
            if (filter.test(c)) {
                out.add(c);
            }
        }
        out.sort(Comparator.comparingLong((Consent c) -> c.terms().expiresAtMs()).thenComparing(Consent::id));
        return out;
    }

    /** {@code cpf}'s unrevoked consents for {@code bank}/{@code account} that it linked at {@code grantee}. */
    public List<Consent> linked(String grantee, String cpf, String bank, String account) {
        return ofHolder(cpf, c -> grantee.equals(c.terms().grantee()) && c.linked() && !c.revoked()
                && bank.equals(c.terms().bank()) && account.equals(c.terms().account()));
    }

    /**
     * The consent a transfer at {@code grantee} debits another bank's account through: a linked, unrevoked one
     * of this holder's, the live one with most left (an expired or exhausted one is still named, so the owning
     * bank's vote says why). Empty: nothing at another bank is payable there.
     */
    public Optional<String> forDebit(String grantee, String cpf, String bank, String account, Instant now) {
        return linked(grantee, cpf, bank, account).stream()
                .max(Comparator.comparing((Consent c) -> !c.expiredAt(now)).thenComparingLong(Consent::remaining))
                .map(Consent::id);
    }

    /** Every consent, sorted by id (a snapshot's deterministic order). */
    public synchronized List<Consent> all() {
        List<Consent> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing(Consent::id));
        return out;
    }

    /** Replaces every consent with {@code all} (a restored snapshot; protocol thread, before serving). */
    public synchronized void reload(List<Consent> all) {
        byId.clear();
        byHolder.clear();
        for (Consent c : all) {
            byId.put(c.id(), c);
            byHolder.computeIfAbsent(c.cpf(), k -> new ArrayList<>()).add(c.id());
        }
    }

    public synchronized int size() {
        return byId.size();
    }
}
