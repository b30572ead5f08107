package org.distribank.bank.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distribank.bank.account.HolderRequest;
import org.distribank.bank.account.OpenAccountRequest;
import org.distribank.bank.consent.ConsentRequest;
import org.distribank.bank.consent.LinkAccountRequest;
import org.distribank.bank.execution.AuditResult;
import org.distribank.bank.execution.DepositRequest;
import org.distribank.bank.execution.TransactionResult;
import org.distribank.bank.execution.TransferRequest;
import org.distribank.bank.execution.WithdrawalRequest;
import org.distribank.bank.schema.RecordSchemas;

/**
 * The OpenAPI 3 document of a bank peer ({@code GET /openapi.json}), built from one table so that
 * {@code BankOpenApiTest} can check that every route the server registers is in it.
 */
public final class BankOpenApi {

    /**
     * One documented operation. {@code auth}: none, session, operator or consortium. {@code request}: the record
     * its JSON body is parsed into, or null (no body); {@code status} its success status; {@code response}: the
     * record of its success body, or null (none for a 204, any JSON object otherwise: the protocol's own routes
     * and this document; the event stream is text).
     */
    public record Doc(String method, String path, String auth, String summary, Class<? extends Record> request,
                      int status, Class<? extends Record> response) {
    }

    public static final List<Doc> DOCS = List.of(
            new Doc("GET", "/health", "none", "Liveness: {\"status\":\"UP\"}; DEGRADED (200, with reason and refusals) "
                    + "while the applier is stopped on its data server or the last audit did not reconcile; DOWN (503) "
                    + "after a storage fault",
                    null, 200, Bodies.Health.class),
            new Doc("GET", "/openapi.json", "none", "This document",
                    null, 200, null),
            new Doc("POST", "/api/v1/accounts", "none", "Open a PERSONAL, JOINT or BUSINESS account",
                    OpenAccountRequest.class, 201, Bodies.AccountView.class),
            new Doc("POST", "/api/v1/accounts/{account}/holders", "session",
                    "Add a co-holder (JOINT, by its first holder; at most 10 holders) or an employee (BUSINESS, by its "
                    + "admin; at most 50)",
                    HolderRequest.class, 201, Bodies.AccountView.class),
            new Doc("DELETE", "/api/v1/accounts/{account}/holders/{cpf}", "session",
                    "Remove a co-holder (JOINT, by its first holder; two holders stay) or an employee (BUSINESS, by "
                    + "its admin) -> 200 the account; 409 for the first holder or admin, or while a PIX key of the "
                    + "account is that person's CPF, e-mail or phone",
                    null, 200, Bodies.AccountView.class),
            new Doc("POST", "/api/v1/sessions", "none", "Sign in: {username,password} -> token",
                    Bodies.SessionRequest.class, 201, Bodies.SessionView.class),
            new Doc("DELETE", "/api/v1/sessions/current", "session", "Sign out",
                    null, 204, null),
            new Doc("GET", "/api/v1/me", "session",
                    "The holder, their accounts here and \"linked\": accounts at other banks linked here with a consent",
                    null, 200, Bodies.Me.class),
            new Doc("GET", "/api/v1/accounts/{account}", "session", "One of my accounts",
                    null, 200, Bodies.AccountView.class),
            new Doc("GET", "/api/v1/accounts/{account}/statement", "session", "Statement, newest last (?after=&limit=)",
                    null, 200, Bodies.Statement.class),
            new Doc("POST", "/api/v1/pix-keys", "session", "Register a PIX key (unique consortium-wide)",
                    Bodies.PixKeyRequest.class, 201, Bodies.PixKeyView.class),
            new Doc("GET", "/api/v1/pix-keys", "session", "My PIX keys",
                    null, 200, Bodies.PixKeys.class),
            new Doc("GET", "/api/v1/pix-keys/{key}", "session", "Resolve any key to {bank,account,name(masked)}",
                    null, 200, Bodies.PixResolution.class),
            new Doc("DELETE", "/api/v1/pix-keys/{key}", "session", "Remove one of my keys",
                    null, 204, null),
            new Doc("POST", "/api/v1/deposits", "session", "Deposit {id?,account,amount} -> transaction result",
                    DepositRequest.class, 200, TransactionResult.class),
            new Doc("POST", "/api/v1/withdrawals", "session", "Withdraw {id?,account,amount} -> transaction result",
                    WithdrawalRequest.class, 200, TransactionResult.class),
            new Doc("POST", "/api/v1/transfers", "session", "Transfer {id?,legs:[{from,to,amount}]} -> transaction result",
                    TransferRequest.class, 200, TransactionResult.class),
            new Doc("GET", "/api/v1/transactions/{id}", "session", "A transaction result (202 while PENDING)",
                    null, 200, TransactionResult.class),
            new Doc("POST", "/api/v1/consents", "session",
                    "At the account's bank: let another bank debit it {account,grantee,limit,expiresAt?,read?} -> "
                    + "{id,consent(token, shown once),bank,account,grantee,limit,remaining,expiresAt,read}; 90 days at most",
                    ConsentRequest.class, 201, Bodies.ConsentCreated.class),
            new Doc("GET", "/api/v1/consents", "session", "The consents I gave at this bank (no tokens)",
                    null, 200, Bodies.Consents.class),
            new Doc("DELETE", "/api/v1/consents/{id}", "session",
                    "Revoke: no debit ordered after it is authorised (204)",
                    null, 204, null),
            new Doc("POST", "/api/v1/linked-accounts", "session",
                    "At the grantee bank: {consent:token} -> {bank,account,consentId,remaining,expiresAt}; 403 unless "
                    + "the token names this bank and a holder with my CPF",
                    LinkAccountRequest.class, 201, Bodies.LinkedAccount.class),
            new Doc("DELETE", "/api/v1/linked-accounts/{bank}/{account}", "session", "Unlink (204)",
                    null, 204, null),
            new Doc("GET", "/metrics", "operator", "Prometheus text (Micrometer): operations ordered, committed, "
                    + "aborted, decision latency, hold-back queue, applier, data-server round trips, JVM",
                    null, 200, null),
            new Doc("GET", "/api/v1/consortium", "operator", "Peers, clock, queue, delivered, logHash, view, "
                    + "snapshot",
                    null, 200, Bodies.Consortium.class),
            new Doc("GET", "/api/v1/events", "operator", "Server-Sent Events of the protocol",
                    null, 200, null),
            new Doc("POST", "/api/v1/audits", "operator", "A consistent snapshot of the consortium's money; each bank's data server's durable total at that "
                    + "position (dataServers) and the banks where they differ (discrepancies, reconciled)",
                    null, 200, AuditResult.class),
            new Doc("GET", "/api/v1/admin/clients", "operator", "This bank's customers",
                    null, 200, Bodies.Clients.class),
            new Doc("GET", "/api/v1/admin/operations", "operator", "Operations in delivery order, one page at a "
                    + "time: ?after=<position, default 0>&limit=<1.." + OperatorApi.MAX_PAGE + ", default "
                    + OperatorApi.DEFAULT_PAGE + ">; \"next\" is the after of the next page (absent on the last); "
                    + "read from the bank's store of decided operations",
                    null, 200, Bodies.Operations.class),
            new Doc("GET", "/api/v1/admin/links", "operator",
                    "This bank's outbound links to every other bank: "
                    + "{\"links\":[{\"peer\",\"state\":\"UP\"|\"CUT\"|\"SLOW\",\"delayMs\"}]}",
                    null, 200, Bodies.Links.class),
            new Doc("PUT", "/api/v1/admin/links/{peer}", "operator",
                    "Cut, slow or restore this bank's outbound traffic to {peer} (protocol frames, heartbeats, "
                    + "bank calls): {\"state\":\"UP\"} | {\"state\":\"CUT\"} | "
                    + "{\"state\":\"SLOW\",\"delayMs\":1..10000} (delayMs only for SLOW; absent or 0 otherwise) "
                    + "-> 200 {\"peer\",\"state\",\"delayMs\"}; 404 for this bank or an unknown one; "
                    + "400 for a bad body, nothing changed. In memory: a restarted bank starts with every link UP",
                    Bodies.LinkChangeRequest.class, 200, Bodies.LinkView.class),
            new Doc("POST", "/api/v1/admin/retire", "operator", "This bank leaves the consortium (views on): "
                    + "ordered and voted by this bank alone, only with every account at zero and nothing held "
                    + "(else 409 ACCOUNTS_NOT_EMPTY, nothing changed); the others then install a view without it",
                    null, 200, Bodies.Retired.class),
            new Doc("POST", "/api/v1/admin/add-bank", "operator", "Ask this member to add a configured bank that is "
                    + "not among the view's members (views on; BANK.md \"Adding a bank\"): {\"bank\":\"b5\"} -> 202 "
                    + "{\"bank\",\"epoch\"} (the view installed when asked; the bank, started with an empty data "
                    + "directory, takes its first snapshot from a member once a view adds it); 404 BANK_NOT_FOUND "
                    + "for this bank or an unknown one, 409 BANK_RETIRED or ALREADY_MEMBER, 400 for a bad body",
                    Bodies.AddBankRequest.class, 202, Bodies.Admitted.class),
            new Doc("POST", "/peer/v1/messages", "consortium", "Protocol: a batch of link messages",
                    null, 200, null),
            new Doc("POST", "/peer/v1/heartbeat", "consortium", "Protocol: heartbeat",
                    null, 200, null),
            new Doc("POST", "/peer/v1/ballot", "consortium",
                    "Protocol: one view-ballot message (PROTOCOL.md, \"Views: the wire\"); single-use",
                    null, 200, null),
            new Doc("POST", "/peer/v1/fetch", "consortium",
                    "Protocol: relay the messages up to a view change's cut that the asker lacks",
                    null, 200, null),
            new Doc("POST", "/peer/v1/transfer", "consortium",
                    "Protocol: a joining bank's first snapshot, from a member (PROTOCOL.md, \"Adding a bank\")",
                    null, 200, null),
            new Doc("GET", "/peer/v1/link", "consortium",
                    "Protocol: streaming link (WebSocket upgrade), when the protocol library serves one",
                    null, 101, null),
            new Doc("GET", "/peer/v1/bank/transactions/{id}/applied", "consortium", "Whether this bank applied an operation",
                    null, 200, Bodies.Applied.class),
            new Doc("GET", "/peer/v1/bank/applied-position", "consortium",
                    "Delivery position up to which this bank's data server holds everything (?atLeast=&waitMs=)",
                    null, 200, Bodies.AppliedPosition.class),
            new Doc("GET", "/peer/v1/bank/audits/{id}", "consortium", "This bank's total at an audit, and its data server's durable total there",
                    null, 200, Bodies.AuditTotal.class),
            new Doc("GET", "/peer/v1/bank/consents/{id}/balance", "consortium",
                    "The balance a live consent with read access shows its grantee bank (only that bank)",
                    null, 200, Bodies.ConsentBalance.class));

    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private BankOpenApi() {
    }

    public static JsonObject document(String bankId) {
        JsonObject doc = new JsonObject();
        doc.addProperty("openapi", "3.0.3");
        JsonObject info = new JsonObject();
        info.addProperty("title", "DistriBank bank peer " + bankId);
        info.addProperty("version", "1");
        info.addProperty("description", "Customer API, operator API and peer routes of a DistriBank bank (API.md). "
                + "Money is integer cents; errors are {\"error\",\"message\"}. Customer and anonymous calls take "
                + "bodies of at most 1 MiB (413 PAYLOAD_TOO_LARGE), JSON objects without repeated keys (400 "
                + "DUPLICATE_KEY), and are rate limited per session and client address (429 with Retry-After and "
                + "\"retryAfter\"); limits in BANK.md.");
        doc.add("info", info);
        JsonObject schemes = new JsonObject();
        for (String s : List.of("session", "operator", "consortium")) {
            JsonObject b = new JsonObject();
            b.addProperty("type", "http");
            b.addProperty("scheme", "bearer");
            schemes.add(s, b);
        }
        RecordSchemas schemas = new RecordSchemas();
        JsonObject error = schemas.ref(Bodies.Error.class);
        JsonObject paths = new JsonObject();
        for (Doc d : DOCS) {
            JsonObject item = paths.has(d.path()) ? paths.getAsJsonObject(d.path()) : new JsonObject();
            JsonObject op = new JsonObject();
            op.addProperty("summary", d.summary());
            JsonArray params = new JsonArray();
            Matcher m = PARAM.matcher(d.path());
            while (m.find()) {
                JsonObject p = new JsonObject();
                p.addProperty("name", m.group(1));
                p.addProperty("in", "path");
                p.addProperty("required", true);
                JsonObject schema = new JsonObject();
                schema.addProperty("type", "string");
                p.add("schema", schema);
                params.add(p);
            }
            if (d.path().equals("/api/v1/admin/operations")) {
                for (String q : List.of("after", "limit")) {
                    JsonObject p = new JsonObject();
                    p.addProperty("name", q);
                    p.addProperty("in", "query");
                    p.addProperty("required", false);
                    JsonObject schema = new JsonObject();
                    schema.addProperty("type", "integer");
                    schema.addProperty("format", "int64");
                    p.add("schema", schema);
                    params.add(p);
                }
            }
            if (!params.isEmpty()) {
                op.add("parameters", params);
            }
            if (!"none".equals(d.auth())) {
                JsonArray sec = new JsonArray();
                JsonObject req = new JsonObject();
                req.add(d.auth(), new JsonArray());
                sec.add(req);
                op.add("security", sec);
            }
            if (d.request() != null) {
                JsonObject body = new JsonObject();
                body.addProperty("required", true);
                body.add("content", json(schemas.ref(d.request())));
                op.add("requestBody", body);
            }
            JsonObject responses = new JsonObject();
            JsonObject ok = new JsonObject();
            ok.addProperty("description", d.status() == 204 ? "done, no body" : "success");
            if (d.path().equals("/api/v1/events") || d.path().equals("/metrics")) {
                JsonObject text = new JsonObject();
                text.addProperty("type", "string");
                JsonObject media = new JsonObject();
                media.add("schema", text);
                JsonObject content = new JsonObject();
                // Server-Sent Events; Prometheus's text exposition format
                content.add(d.path().equals("/metrics") ? "text/plain" : "text/event-stream", media);
                ok.add("content", content);
            } else if (d.response() != null) {
                ok.add("content", json(schemas.ref(d.response())));
            } else if (d.status() == 200) {
                JsonObject any = new JsonObject();
                any.addProperty("type", "object");
                ok.add("content", json(any));
            }
            responses.add(Integer.toString(d.status()), ok);
            if (d.response() == TransactionResult.class) {
                JsonObject pending = new JsonObject();
                pending.addProperty("description", "still PENDING, with the operation's id (a money call waits a few "
                        + "seconds for the outcome first); also when the bank stops while the call waits, or a retry "
                        + "meets an offline bank while the operation is in flight: it may still commit");
                pending.add("content", json(schemas.ref(TransactionResult.class)));
                responses.add("202", pending);
            }
            JsonObject err = new JsonObject();
            err.addProperty("description", "refused, nothing changed: {\"error\",\"message\"}");
            err.add("content", json(error));
            responses.add("4XX", err);
            JsonObject unavailable = new JsonObject();
            unavailable.addProperty("description", "a bank or the data server needed is unavailable; 503 STARTING "
                    + "(Retry-After) while this bank replays its log");
            unavailable.add("content", json(error));
            responses.add("5XX", unavailable);
            if (d.path().startsWith("/api/v1/") && !"operator".equals(d.auth())) {
                JsonObject limited = new JsonObject();
                limited.addProperty("description", "Too many requests or sign-in attempts: {\"error\",\"message\","
                        + "\"retryAfter\"} and a Retry-After header (seconds)");
                limited.add("content", json(error));
                responses.add("429", limited);
            }
            op.add("responses", responses);
            item.add(d.method().toLowerCase(Locale.ROOT), op);
            paths.add(d.path(), item);
        }
        doc.add("paths", paths);
        JsonObject components = new JsonObject();
        components.add("schemas", schemas.components());
        components.add("securitySchemes", schemes);
        doc.add("components", components);
        return doc;
    }

    /** {@code {"application/json":{"schema":schema}}}. */
    private static JsonObject json(JsonObject schema) {
        JsonObject media = new JsonObject();
        media.add("schema", schema);
        JsonObject content = new JsonObject();
        content.add("application/json", media);
        return content;
    }
}
