package org.distribank.app.client;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a customer can ask one bank (API.md, "Bank peer: customer API"), at most one session at a time: {@link
 * #signIn} keeps the token and every later call sends it. {@link CustomerClient} speaks it over HTTP; view models
 * depend on this, so they are tested against fakes. Calls block.
 */
public interface CustomerApi {

    /** A fresh idempotency id for a deposit, withdrawal or transfer. */
    static String newId() {
        return UUID.randomUUID().toString();
    }

    String bank();

    String url();

    boolean signedIn();

    /** Opens a PERSONAL account (no session needed). */
    AccountView openPersonal(HolderForm holder);

    /** Opens a JOINT account of two or more holders, each with a login of their own. */
    AccountView openJoint(List<HolderForm> holders);

    /** Opens a BUSINESS account for a company (CNPJ), with {@code admin} as its administrator. */
    AccountView openBusiness(String companyName, String cnpj, HolderForm admin);

    /** Adds a co-holder (JOINT, by a holder) or an employee (BUSINESS, by its admin). */
    AccountView addHolder(String account, HolderForm holder);

    SignedIn signIn(String username, String password);

    /** Forgets the token here, then ends the session at the bank. */
    void signOut();

    Me me();

    /**
     * At the account's own bank: lets bank {@code grantee} debit {@code account} up to {@code limit} cents until
     * {@code expiresAt} (null: the bank's longest, 90 days); {@code read} lets the grantee show its balance.
     */
    ConsentGrant createConsent(String account, String grantee, long limit, Instant expiresAt, boolean read);

    /** The consents this holder gave at this bank (their tokens are never shown again). */
    List<ConsentView> myConsents();

    /** Revokes a consent given here: it authorises nothing ordered after this. */
    void revokeConsent(String id);

    /** At the grantee bank: links the account a consent token names. */
    LinkedAccount linkAccount(String consentToken);

    void unlinkAccount(AccountRef ref);

    AccountView account(String account);

    List<StatementEntry> statement(String account);

    /** Registers a PIX key; {@code value} is null for RANDOM, CPF and CNPJ keys (taken from the holder). */
    PixKeyView addPixKey(String account, String type, String value);

    List<PixKeyView> myPixKeys();

    PixKeyView resolvePixKey(String key);

    void removePixKey(String key);

    TransactionResult deposit(String id, String account, long amount);

    TransactionResult withdraw(String id, String account, long amount);

    /** A transfer of one or many legs; all commit or none does. {@code id} is the idempotency key. */
    TransactionResult transfer(String id, List<TransferLeg> legs);

    TransactionResult transaction(String id);
}
