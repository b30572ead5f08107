package org.distribank.bank.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3 document of a bank peer ({@code GET /openapi.json}), built from one table so that
 * {@code BankOpenApiTest} can check that every route the server registers is in it.
 */
public final class BankOpenApi {

    /** One documented operation. {@code auth}: none, session, operator or consortium. */
    public record Doc(String method, String path, String auth, String summary) {
    }

    public static final List<Doc> DOCS = List.of(
            new Doc("GET", "/health", "none", "Liveness: {\"status\":\"UP\"}"),
            new Doc("GET", "/openapi.json", "none", "This document"),
            new Doc("POST", "/api/v1/accounts", "none", "Open a PERSONAL, JOINT or BUSINESS account"),
            new Doc("POST", "/api/v1/accounts/{account}/holders", "session",
                    "Add a co-holder (JOINT, by its first holder; at most 10 holders) or an employee (BUSINESS, by its "
                    + "admin; at most 50)"),
            new Doc("DELETE", "/api/v1/accounts/{account}/holders/{cpf}", "session",
                    "Remove a co-holder (JOINT, by its first holder; two holders stay) or an employee (BUSINESS, by "
                    + "its admin) -> 200 the account; 409 for the first holder or admin, or while a PIX key of the "
                    + "account is that person's CPF, e-mail or phone"),
            new Doc("POST", "/api/v1/sessions", "none", "Sign in: {username,password} -> token"),
            new Doc("DELETE", "/api/v1/sessions/current", "session", "Sign out"),
            new Doc("GET", "/api/v1/me", "session",
                    "The holder, their accounts here and \"linked\": accounts at other banks linked here with a consent"),
            new Doc("GET", "/api/v1/accounts/{account}", "session", "One of my accounts"),
            new Doc("GET", "/api/v1/accounts/{account}/statement", "session", "Statement, newest last (?after=&limit=)"),
            new Doc("POST", "/api/v1/pix-keys", "session", "Register a PIX key (unique consortium-wide)"),
            new Doc("GET", "/api/v1/pix-keys", "session", "My PIX keys"),
            new Doc("GET", "/api/v1/pix-keys/{key}", "session", "Resolve any key to {bank,account,name(masked)}"),
            new Doc("DELETE", "/api/v1/pix-keys/{key}", "session", "Remove one of my keys"),
            new Doc("POST", "/api/v1/deposits", "session", "Deposit {id?,account,amount} -> transaction result"),
            new Doc("POST", "/api/v1/withdrawals", "session", "Withdraw {id?,account,amount} -> transaction result"),
            new Doc("POST", "/api/v1/transfers", "session", "Transfer {id?,legs:[{from,to,amount}]} -> transaction result"),
            new Doc("GET", "/api/v1/transactions/{id}", "session", "A transaction result (202 while PENDING)"),
            new Doc("POST", "/api/v1/consents", "session",
                    "At the account's bank: let another bank debit it {account,grantee,limit,expiresAt?,read?} -> "
                    + "{id,consent(token, shown once),bank,account,grantee,limit,remaining,expiresAt,read}; 90 days at most"),
            new Doc("GET", "/api/v1/consents", "session", "The consents I gave at this bank (no tokens)"),
            new Doc("DELETE", "/api/v1/consents/{id}", "session",
                    "Revoke: no debit ordered after it is authorised (204)"),
            new Doc("POST", "/api/v1/linked-accounts", "session",
                    "At the grantee bank: {consent:token} -> {bank,account,consentId,remaining,expiresAt}; 403 unless "
                    + "the token names this bank and a holder with my CPF"),
            new Doc("DELETE", "/api/v1/linked-accounts/{bank}/{account}", "session", "Unlink (204)"),
            new Doc("GET", "/api/v1/consortium", "operator", "Peers, clock, queue, delivered, logHash"),
            new Doc("GET", "/api/v1/events", "operator", "Server-Sent Events of the protocol"),
            new Doc("POST", "/api/v1/audits", "operator", "A consistent snapshot of the consortium's money"),
            new Doc("GET", "/api/v1/admin/clients", "operator", "This bank's customers"),
            new Doc("GET", "/api/v1/admin/operations", "operator", "Operations in delivery order"),
            new Doc("GET", "/api/v1/admin/links", "operator",
                    "This bank's outbound links to every other bank: "
                    + "{\"links\":[{\"peer\",\"state\":\"UP\"|\"CUT\"|\"SLOW\",\"delayMs\"}]}"),
            new Doc("PUT", "/api/v1/admin/links/{peer}", "operator",
                    "Cut, slow or restore this bank's outbound traffic to {peer} (protocol frames, heartbeats, "
                    + "bank calls): {\"state\":\"UP\"} | {\"state\":\"CUT\"} | "
                    + "{\"state\":\"SLOW\",\"delayMs\":1..10000} (delayMs only for SLOW; absent or 0 otherwise) "
                    + "-> 200 {\"peer\",\"state\",\"delayMs\"}; 404 for this bank or an unknown one; "
                    + "400 for a bad body, nothing changed. In memory: a restarted bank starts with every link UP"),
            new Doc("POST", "/peer/v1/messages", "consortium", "Protocol: a batch of link messages"),
            new Doc("POST", "/peer/v1/heartbeat", "consortium", "Protocol: heartbeat"),
            new Doc("GET", "/peer/v1/link", "consortium",
                    "Protocol: streaming link (WebSocket upgrade), when the protocol library serves one"),
            new Doc("GET", "/peer/v1/bank/transactions/{id}/applied", "consortium", "Whether this bank applied an operation"),
            new Doc("GET", "/peer/v1/bank/applied-position", "consortium",
                    "Delivery position up to which this bank's data server holds everything (?atLeast=&waitMs=)"),
            new Doc("GET", "/peer/v1/bank/audits/{id}", "consortium", "This bank's total at an audit"),
            new Doc("GET", "/peer/v1/bank/consents/{id}/balance", "consortium",
                    "The balance a live consent with read access shows its grantee bank (only that bank)"));

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
        JsonObject components = new JsonObject();
        components.add("securitySchemes", schemes);
        doc.add("components", components);
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
            JsonObject responses = new JsonObject();
            JsonObject ok = new JsonObject();
            ok.addProperty("description", "success");
            responses.add("2XX", ok);
            JsonObject err = new JsonObject();
            err.addProperty("description", "{\"error\",\"message\"}");
            responses.add("4XX", err);
            if (d.path().startsWith("/api/v1/") && !"operator".equals(d.auth())) {
                JsonObject limited = new JsonObject();
                limited.addProperty("description", "Too many requests or sign-in attempts: {\"error\",\"message\","
                        + "\"retryAfter\"} and a Retry-After header (seconds)");
                responses.add("429", limited);
            }
            op.add("responses", responses);
            item.add(d.method().toLowerCase(Locale.ROOT), op);
            paths.add(d.path(), item);
        }
        doc.add("paths", paths);
        return doc;
    }
}
