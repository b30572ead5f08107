package org.distribank.bank.api;

import com.google.gson.JsonElement;
import java.util.List;
import java.util.Map;
import org.distribank.bank.account.AccountType;
import org.distribank.bank.account.HolderRole;
import org.distribank.bank.execution.TransactionResult;
import org.distribank.bank.pix.PixKeyType;
import org.distribank.bank.schema.OptionalField;

/**
 * The JSON bodies of the bank's API (API.md) that are not a service's own request or result record: the
 * {@link BankOpenApi} document's schemas are generated from these records and from the services' ones
 * ({@code DepositRequest}, {@code TransactionResult}, ...). Routes write the records with {@link Views#json}
 * where they build them; {@code BankApiContractTest} checks every route's real answer against its schema.
 */
public final class Bodies {

    private Bodies() {
    }

    /**
     * Every error: a stable code and a sentence; a 429, and a 503 that says when to retry (STARTING, NOT_ORDERED,
     * OUTCOME_UNKNOWN), add {@code retryAfter} (seconds); one about an operation adds its {@code id}.
     */
    public record Error(String error, String message, @OptionalField Long retryAfter, @OptionalField String id) {
    }

    /**
     * {@code UP}; {@code STARTING} (503) while the log replays; {@code DEGRADED} (still serving) with {@code reason}
     * when the applier is stopped on a refused or unreachable data server, or the last audit did not reconcile, and
     * {@code refusals} (refused write attempts since start); {@code DOWN} (503) with {@code reason} once the bank
     * stopped on a storage fault.
     */
    public record Health(String status, @OptionalField String reason, @OptionalField Long refusals) {
    }

    // ---- requests parsed by the account, session, PIX and link routes

    public record SessionRequest(String username, String password) {
    }

    /** {@code value}: none for RANDOM and CPF/CNPJ (the holder's own), the registered e-mail or phone otherwise. */
    public record PixKeyRequest(String account, PixKeyType type, @OptionalField String value) {
    }

    public enum LinkStateName { UP, CUT, SLOW }

    /** {@code delayMs} 1..10000 for SLOW only (absent, null or 0 otherwise). */
    public record LinkChangeRequest(LinkStateName state, @OptionalField Long delayMs) {
    }

    // ---- customer answers

    public record HolderView(String name, String cpf, HolderRole role) {
    }

    public record Company(String name, String cnpj) {
    }

    public record AccountView(String bank, String account, AccountType type, long balance, List<HolderView> holders,
                              @OptionalField Company company) {
    }

    public record AccountSummary(String bank, String account, AccountType type, long balance) {
    }

    public record Person(String name, String cpf) {
    }

    public record SessionView(String token, String expiresAt, Person holder, List<AccountSummary> accounts) {
    }

    /** An account at another bank linked here; {@code balance} only while its consent allows reading. */
    public record LinkedAccount(String bank, String account, String consentId, long remaining, String expiresAt,
                                String status, boolean read, @OptionalField Long balance) {
    }

    public record Me(Person holder, List<AccountSummary> accounts, List<LinkedAccount> linked) {
    }

    /** {@code at}: epoch milliseconds; {@code amount} signed cents. */
    public record StatementEntry(long entry, String transaction, String kind, long amount, long balanceAfter,
                                 long at, @OptionalField String counterparty) {
    }

    public record Statement(List<StatementEntry> entries) {
    }

    public record PixKeyView(String key, PixKeyType type, String bank, String account) {
    }

    public record PixKeys(List<PixKeyView> keys) {
    }

    /** A resolved key: {@code name} masked. */
    public record PixResolution(String key, PixKeyType type, String bank, String account, String name) {
    }

    public record ConsentView(String id, String bank, String account, String grantee, long limit, long remaining,
                              String expiresAt, boolean read, String status) {
    }

    /** A new consent with its token ({@code consent}), shown this once. */
    public record ConsentCreated(String id, String bank, String account, String grantee, long limit, long remaining,
                                 String expiresAt, boolean read, String status, String consent) {
    }

    public record Consents(List<ConsentView> consents) {
    }

    // ---- operator answers

    public record Peer(String id, String name, String url, boolean online, long lastSeenMs) {
    }

    public record QueueEntry(String id, String origin, Map<String, Long> clock, List<String> acks, String state) {
    }

    /**
     * The view this bank orders in (DESIGN.md "Views"): its epoch, the banks now ordering together, and every bank
     * of the consortium (those not among the members are out of the view).
     */
    public record View(long epoch, List<String> members, List<String> banks) {
    }

    /** A durable snapshot's delivery position (0: none yet) and when it was taken (null: none yet). */
    public record Snapshot(long position, @OptionalField String at) {
    }

    public record Consortium(String self, List<Peer> peers, Map<String, Long> clock, List<QueueEntry> queue,
                             long delivered, String logHash, View view, Snapshot snapshot) {
    }

    public record ClientAccount(String account, AccountType type, HolderRole role, long balance) {
    }

    public record Client(String cpf, String name, List<ClientAccount> accounts) {
    }

    public record Clients(List<Client> clients) {
    }

    /** A decided operation: its transaction result plus its kind and, for an abort, the voter and raw reason. */
    public record OperationEntry(String id, TransactionResult.Status status, @OptionalField String reason,
                                 @OptionalField Integer failedLeg, TransactionResult.Order order,
                                 @OptionalField Long position, String kind, @OptionalField String voter,
                                 @OptionalField String rawReason) {
    }

    /** One page in delivery order; {@code next}: the {@code after} of the next page, absent on the last one. */
    public record Operations(String bank, List<OperationEntry> operations, @OptionalField Long next) {
    }

    public record LinkView(String peer, LinkStateName state, long delayMs) {
    }

    public record Links(List<LinkView> links) {
    }

    // ---- bank peer routes

    public record AppliedPosition(String bank, long position) {
    }

    public record Applied(boolean applied, @OptionalField Long position) {
    }

    /**
     * A bank's total at an audit's position, its data server's durable total there ({@code dataServerTotal}, once
     * the bank's applier reached it), and whether the two reconcile ({@code problem} says why not).
     */
    public record AuditTotal(String bank, long total, long position, @OptionalField Long dataServerTotal,
                             boolean reconciled, @OptionalField String problem) {
    }

    public record ConsentBalance(String bank, String account, long balance) {
    }

    /** {@code POST /api/v1/admin/retire}: this bank retired, by its RETIRE_BANK at {@code position}. */
    public record Retired(String bank, boolean retired, String id, long position) {
    }

    /**
     * {@code POST /api/v1/admin/add-bank}'s answer (202): the member asked the view ballot to add {@code bank} in the
     * view after {@code epoch}, the one installed when it was asked; {@code GET /api/v1/consortium} shows it join.
     */
    public record Admitted(String bank, long epoch) {
    }

    /** {@code POST /api/v1/admin/add-bank}'s body: the configured bank to add. */
    public record AddBankRequest(String bank) {
    }
}
