package org.distribank.bank.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.distribank.bank.account.AccountService;
import org.distribank.bank.account.AccountType;
import org.distribank.bank.account.CompanyRequest;
import org.distribank.bank.account.HolderRequest;
import org.distribank.bank.account.OpenAccountRequest;
import org.distribank.bank.consent.ConsentRequest;
import org.distribank.bank.consent.LinkAccountRequest;
import org.distribank.bank.execution.AccountRef;
import org.distribank.bank.execution.DepositRequest;
import org.distribank.bank.execution.Refused;
import org.distribank.bank.execution.TransactionService;
import org.distribank.bank.execution.TransferRequest;
import org.distribank.bank.execution.TransferRequest.LegRequest;
import org.distribank.bank.execution.TransferRequest.Payee;
import org.distribank.bank.execution.WithdrawalRequest;
import org.distribank.bank.pix.InvalidPixKeyException;
import org.distribank.bank.pix.PixKey;
import org.distribank.common.ApiException;
import org.distribank.common.StrictJson;

/**
 * Request bodies into the typed requests the services take (strict JSON: {@link StrictJson}); bad input is a 400
 * with API.md's codes. Also the mapping of the services' typed refusals to HTTP statuses.
 */
public final class Requests {

    private static final Pattern TX_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private Requests() {
    }

    public static DepositRequest deposit(JsonObject body) {
        return new DepositRequest(txId(body), StrictJson.string(body, "account", 64), amount(body, "amount"));
    }

    public static WithdrawalRequest withdrawal(JsonObject body) {
        return new WithdrawalRequest(txId(body), StrictJson.string(body, "account", 64), amount(body, "amount"));
    }

    public static TransferRequest transfer(JsonObject body) {
        String id = txId(body);
        JsonArray legsJson = StrictJson.array(body, "legs", TransactionService.MAX_LEGS);
        List<LegRequest> legs = new ArrayList<>();
        for (int i = 0; i < legsJson.size(); i++) {
            JsonObject l = StrictJson.element(legsJson, i, "legs");
            JsonObject fromJson = StrictJson.object(l, "from");
            AccountRef from = new AccountRef(StrictJson.string(fromJson, "bank", 16),
                    StrictJson.string(fromJson, "account", 64));
            JsonObject toJson = StrictJson.object(l, "to");
            String pixText = StrictJson.optString(toJson, "pixKey", 100);
            Payee to;
            if (pixText != null) {
                try {
                    to = Payee.pixKey(PixKey.parseAny(pixText).value());
                } catch (InvalidPixKeyException e) {
                    throw ApiException.badRequest("INVALID_PIX_KEY", "Leg " + i + ": " + e.getMessage());
                }
            } else {
                to = Payee.account(StrictJson.string(toJson, "bank", 16), StrictJson.string(toJson, "account", 64));
            }
            legs.add(new LegRequest(from, to, amount(l, "amount")));
        }
        return new TransferRequest(id, legs);
    }

    /** Only the fields {@code type} needs are read (as before: the others are ignored). */
    public static OpenAccountRequest openAccount(JsonObject body) {
        AccountType type = StrictJson.enumValue(body, "type", AccountType.class);
        return switch (type) {
            case PERSONAL -> new OpenAccountRequest(type, holder(StrictJson.object(body, "holder")), null, null);
            case JOINT -> {
                JsonArray a = StrictJson.array(body, "holders", AccountService.MAX_JOINT_HOLDERS);
                List<HolderRequest> holders = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    holders.add(holder(StrictJson.element(a, i, "holders")));
                }
                yield new OpenAccountRequest(type, null, holders, null);
            }
            case BUSINESS -> {
                JsonObject company = StrictJson.object(body, "company");
                CompanyRequest c = new CompanyRequest(StrictJson.string(company, "name", 200),
                        StrictJson.string(company, "cnpj", 30));
                yield new OpenAccountRequest(type, holder(StrictJson.object(body, "holder")), null, c);
            }
        };
    }

    public static HolderRequest holder(JsonObject o) {
        return new HolderRequest(StrictJson.string(o, "name", 200), StrictJson.string(o, "cpf", 20),
                StrictJson.string(o, "username", 64), StrictJson.string(o, "password", 200),
                StrictJson.optString(o, "email", 200), StrictJson.optString(o, "phone", 40));
    }

    public static ConsentRequest consent(JsonObject body) {
        return new ConsentRequest(StrictJson.string(body, "account", 64), StrictJson.string(body, "grantee", 16),
                amount(body, "limit"), StrictJson.optString(body, "expiresAt", 40), optBool(body, "read"));
    }

    public static LinkAccountRequest link(JsonObject body) {
        return new LinkAccountRequest(StrictJson.string(body, "consent", 200));
    }

    private static Boolean optBool(JsonObject body, String name) {
        JsonElement e = body.get(name);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw ApiException.badRequest("INVALID_FIELD", "'" + name + "' must be true or false.");
        }
        return e.getAsBoolean();
    }

    /** {@code 0 < amount <= 10^14} cents, read from the literal JSON text. */
    public static long amount(JsonObject o, String name) {
        long v = StrictJson.integer(o, name);
        if (v <= 0 || v > StrictJson.MAX_AMOUNT) {
            throw ApiException.badRequest("INVALID_AMOUNT",
                    "Field '" + name + "' must be a whole number of cents between 1 and " + StrictJson.MAX_AMOUNT + ".");
        }
        return v;
    }

    /** The client's idempotency key, or null (the service makes one). */
    private static String txId(JsonObject body) {
        String id = StrictJson.optString(body, "id", 64);
        if (id != null && !TX_ID.matcher(id).matches()) {
            throw ApiException.badRequest("INVALID_ID", "'id' is 1-64 letters, digits, '.', '_', ':' or '-' (a UUID).");
        }
        return id;
    }

    /**
     * A service's refusal as the HTTP error of API.md: 400, 404, 403, 409, 429 or 503; with {@code "id"} when it is
     * about an operation and {@code "retryAfter"} (seconds; the Retry-After header) when it says when to retry.
     */
    public static ApiException error(Refused r) {
        int status = switch (r.kind()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case FORBIDDEN -> 403;
            case CONFLICT -> 409;
            case TOO_MANY -> 429;
            case UNAVAILABLE -> 503;
            case TOO_LARGE -> 413;
        };
        JsonObject extra = null;
        if (r.id() != null || r.retryAfterSeconds() != null) {
            extra = new JsonObject();
            if (r.id() != null) {
                extra.addProperty("id", r.id());
            }
            if (r.retryAfterSeconds() != null) {
                extra.addProperty("retryAfter", r.retryAfterSeconds());
            }
        }
        return new ApiException(status, r.code(), r.getMessage(), extra);
    }
}
