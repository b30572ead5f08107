package org.distribank.dataserver.bank;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.distribank.common.ApiException;
import org.distribank.common.StrictJson;
import org.distribank.dataserver.balance.EntryKind;
import org.distribank.dataserver.balance.Ledger;
import org.distribank.dataserver.balance.Posting;
import org.distribank.dataserver.store.GroupCommitWriter;
import org.distribank.dataserver.store.GroupCommitWriter.Task;

/**
 * Every write of the data server, by kind, built from its JSON arguments (the request body plus what the path
 * and headers said). The handlers build a write here on the request thread, so bad input is a 400 before it
 * reaches the writer; the journal keeps the same arguments, and a replay after a crash builds the same write
 * from them ({@link #task}), which then runs on the same state with the same timestamp.
 */
public final class Writes implements GroupCommitWriter.Replayer {

    public static final String CUSTOMER = "customer";
    public static final String ACCOUNT = "account";
    public static final String HOLDER = "holder";
    public static final String HOLDER_REMOVE = "holder-remove";
    public static final String POSTINGS = "postings";
    public static final String PIX_CREATE = "pix-create";
    public static final String PIX_DELETE = "pix-delete";
    public static final String OUTCOME = "outcome";
    public static final String SET_BALANCE = "set-balance";
    public static final String MANAGER_CLAIM = "manager-claim";
    public static final String MANAGER_RELEASE = "manager-release";

    /** The journaled argument naming the lock holder of a balance write. */
    public static final String OWNER = "owner";

    private static final Pattern CPF = Pattern.compile("[0-9]{11}");
    private static final Pattern CNPJ = Pattern.compile("[0-9]{14}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MAX_BATCH = 1_000;

    /** What {@code PUT /transactions/{id}} answers: whether the record was created, and the record. */
    public record StoredOutcome(boolean created, JsonObject outcome) {
    }

    private final Ledger ledger;

    public Writes(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Task<?> task(String kind, String business, JsonObject args) {
        return switch (kind) {
            case CUSTOMER -> customer(business, args);
            case ACCOUNT -> account(business, args);
            case HOLDER -> holder(business, args);
            case HOLDER_REMOVE -> holderRemove(business, args);
            case POSTINGS -> postings(business, args);
            case PIX_CREATE -> pixCreate(business, args);
            case PIX_DELETE -> pixDelete(business, args);
            case OUTCOME -> outcome(business, args);
            case SET_BALANCE -> setBalance(business, args);
            case MANAGER_CLAIM -> managerClaim(business, args);
            case MANAGER_RELEASE -> managerRelease(business, args);
            default -> throw new IllegalArgumentException("unknown write kind " + kind);
        };
    }

    /** {@code {"cpf","name","username","password_hash","email"?,"phone"?}}. */
    public Task<JsonObject> customer(String business, JsonObject b) {
        BankStore.Customer cu = new BankStore.Customer(
                StrictJson.matching(b, "cpf", CPF, "11 digits"),
                StrictJson.string(b, "name", 200),
                StrictJson.matching(b, "username", USERNAME, "1-64 letters, digits, '.', '_' or '-'"),
                StrictJson.string(b, "password_hash", 200),
                StrictJson.optString(b, "email", 200),
                StrictJson.optString(b, "phone", 40));
        return (c, now) -> BankStore.insertCustomer(c, business, cu, now);
    }

    /** {@code {"account_id","type","company"?,"holders":[{"cpf","role"}]}}. */
    public Task<JsonObject> account(String business, JsonObject b) {
        String accountId = StrictJson.id(b, "account_id");
        AccountType type = StrictJson.enumValue(b, "type", AccountType.class);
        JsonObject company = StrictJson.optObject(b, "company");
        String companyName = null;
        String companyCnpj = null;
        if (type == AccountType.BUSINESS) {
            if (company == null) {
                throw ApiException.badRequest("MISSING_FIELD", "A BUSINESS account needs a company {name, cnpj}.");
            }
            companyName = StrictJson.string(company, "name", 200);
            companyCnpj = StrictJson.matching(company, "cnpj", CNPJ, "14 digits");
        } else if (company != null) {
            throw ApiException.badRequest("INVALID_FIELD", "Only a BUSINESS account has a company.");
        }
        JsonArray holdersJson = StrictJson.array(b, "holders", 100);
        List<BankStore.Holder> holders = new ArrayList<>();
        Set<String> cpfs = new HashSet<>();
        for (int i = 0; i < holdersJson.size(); i++) {
            BankStore.Holder h = holder(StrictJson.element(holdersJson, i, "holders"));
            if (!cpfs.add(h.cpf())) {
                throw ApiException.badRequest("DUPLICATE_HOLDER", "A CPF appears twice in holders.");
            }
            holders.add(h);
        }
        BankStore.NewAccount account = new BankStore.NewAccount(accountId, type, companyName, companyCnpj, holders);
        return (c, now) -> BankStore.insertAccount(c, business, account, now);
    }

    /** {@code {"account_id","cpf","role"}}. */
    public Task<JsonObject> holder(String business, JsonObject b) {
        String accountId = StrictJson.checkId(StrictJson.string(b, "account_id", 128), "accountId");
        BankStore.Holder h = holder(b);
        return (c, now) -> BankStore.addHolder(c, business, accountId, h, now);
    }

    /** {@code {"account_id","cpf"}}. */
    public Task<JsonObject> holderRemove(String business, JsonObject b) {
        String accountId = StrictJson.checkId(StrictJson.string(b, "account_id", 128), "accountId");
        String cpf = StrictJson.matching(b, "cpf", CPF, "11 digits");
        return (c, now) -> BankStore.removeHolder(c, business, accountId, cpf);
    }

    private static BankStore.Holder holder(JsonObject o) {
        return new BankStore.Holder(StrictJson.matching(o, "cpf", CPF, "11 digits"),
                StrictJson.enumValue(o, "role", HolderRole.class));
    }

    /** {@code {"postings":[...],"outcome"?,"outcomes"?,"owner"}}: every posting and record, or none. */
    public Task<List<Ledger.Applied>> postings(String business, JsonObject b) {
        JsonArray items = StrictJson.array(b, "postings", MAX_BATCH);
        List<Posting> postings = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonObject p = StrictJson.element(items, i, "postings");
            long value = StrictJson.signedCents(p, "value");
            if (value == 0) {
                throw ApiException.badRequest("INVALID_AMOUNT", "postings[" + i + "].value must not be zero.");
            }
            postings.add(new Posting(StrictJson.id(p, "operation_id"), StrictJson.id(p, "account_id"), value,
                    StrictJson.enumValue(p, "kind", EntryKind.class), StrictJson.optId(p, "transaction"),
                    StrictJson.optString(p, "counterparty", 200)));
        }
        Ledger.requireDistinctOperations(postings);
        // the outcome records written with the postings: "outcome" (one) and/or "outcomes" (many), same transaction
        List<BankStore.Outcome> outcomes = new ArrayList<>();
        JsonObject outcomeJson = StrictJson.optObject(b, "outcome");
        if (outcomeJson != null) {
            outcomes.add(parseOutcome(StrictJson.id(outcomeJson, "transaction_id"), outcomeJson));
        }
        if (b.has("outcomes") && !b.get("outcomes").isJsonNull()) {
            JsonArray many = StrictJson.array(b, "outcomes", MAX_BATCH);
            for (int i = 0; i < many.size(); i++) {
                JsonObject o = StrictJson.element(many, i, "outcomes");
                outcomes.add(parseOutcome(StrictJson.id(o, "transaction_id"), o));
            }
        }
        String owner = StrictJson.id(b, OWNER);
        return (c, now) -> {
            List<Ledger.Applied> result = ledger.post(c, business, postings, owner, now);
            for (BankStore.Outcome outcome : outcomes) {
                BankStore.putOutcome(c, business, outcome, now);
            }
            return result;
        };
    }

    /** {@code {"key","type","account_id"}}. */
    public Task<JsonObject> pixCreate(String business, JsonObject b) {
        String key = StrictJson.id(b, "key");
        PixKeyType type = StrictJson.enumValue(b, "type", PixKeyType.class);
        String accountId = StrictJson.id(b, "account_id");
        return (c, now) -> BankStore.insertPixKey(c, business, key, type, accountId, now);
    }

    /** {@code {"key"}}. */
    public Task<Void> pixDelete(String business, JsonObject b) {
        String key = StrictJson.string(b, "key", 256);
        return (c, now) -> {
            BankStore.deletePixKey(c, business, key);
            return null;
        };
    }

    /** {@code {"transaction_id","fingerprint","status","reason"?,"failed_leg"?,"order"?}}. */
    public Task<StoredOutcome> outcome(String business, JsonObject b) {
        String id = StrictJson.checkId(StrictJson.string(b, "transaction_id", 128), "transactionId");
        BankStore.Outcome outcome = parseOutcome(id, b);
        return (c, now) -> new StoredOutcome(BankStore.putOutcome(c, business, outcome, now),
                BankStore.outcome(c, business, id));
    }

    /** {@code {"account_id","value","operation_id","owner"}}: the original setBalance. */
    public Task<Ledger.Applied> setBalance(String business, JsonObject b) {
        String account = StrictJson.id(b, "account_id");
        long value = StrictJson.signedCents(b, "value");
        String operationId = StrictJson.id(b, "operation_id");
        String owner = StrictJson.id(b, OWNER);
        return (c, now) -> {
            // checked in the write itself (single writer): no setBalance slips in after a claim's answer
            Managers.requireUnmanaged(c, business);
            return ledger.setBalance(c, business, account, value, operationId, owner, now);
        };
    }

    /** {@code {"bank","name"?}}: a bank peer claims the business (one owner per account). */
    public Task<Managers.Manager> managerClaim(String business, JsonObject b) {
        String bank = StrictJson.id(b, "bank");
        String name = StrictJson.optString(b, "name", 200);
        return (c, now) -> Managers.claim(c, business, bank, name, now);
    }

    /** {@code {}}: the business goes back to the original behaviour. */
    public Task<Boolean> managerRelease(String business, JsonObject b) {
        return (c, now) -> Managers.release(c, business);
    }

    private static BankStore.Outcome parseOutcome(String id, JsonObject b) {
        String fingerprint = StrictJson.string(b, "fingerprint", 200);
        TransactionStatus status = StrictJson.enumValue(b, "status", TransactionStatus.class);
        String reason = StrictJson.optId(b, "reason");
        Integer failedLeg = null;
        if (b.has("failed_leg") && !b.get("failed_leg").isJsonNull()) {
            long leg = StrictJson.integer(b, "failed_leg");
            if (leg < 0 || leg > 10_000) {
                throw ApiException.badRequest("INVALID_FIELD", "failed_leg must be from 0 to 10000.");
            }
            failedLeg = (int) leg;
        }
        JsonObject order = StrictJson.optObject(b, "order");
        String orderJson = order == null ? null : StrictJson.GSON.toJson(order);
        if (orderJson != null && orderJson.length() > 20_000) {
            throw ApiException.badRequest("INVALID_FIELD", "order is too large.");
        }
        return new BankStore.Outcome(id, fingerprint, status, reason, failedLeg, orderJson);
    }
}
