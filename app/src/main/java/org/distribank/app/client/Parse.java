package org.distribank.app.client;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reads the API's JSON into the client's records; absent optional fields become null or empty. */
final class Parse {

    private Parse() {
    }

    static String str(JsonObject o, String k) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    static long num(JsonObject o, String k) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? 0 : e.getAsLong();
    }

    static <T> List<T> list(JsonObject o, String k, Function<JsonObject, T> f) {
        List<T> out = new ArrayList<>();
        JsonElement e = o.get(k);
        if (e != null && e.isJsonArray()) {
            for (JsonElement x : e.getAsJsonArray()) {
                out.add(f.apply(x.getAsJsonObject()));
            }
        }
        return out;
    }

    static List<String> strings(JsonObject o, String k) {
        List<String> out = new ArrayList<>();
        JsonElement e = o.get(k);
        if (e != null && e.isJsonArray()) {
            for (JsonElement x : e.getAsJsonArray()) {
                out.add(x.getAsString());
            }
        }
        return out;
    }

    static Map<String, Long> longs(JsonObject o, String k) {
        Map<String, Long> out = new LinkedHashMap<>();
        JsonElement e = o.get(k);
        if (e != null && e.isJsonObject()) {
            e.getAsJsonObject().entrySet().forEach(x -> out.put(x.getKey(), x.getValue().getAsLong()));
        }
        return out;
    }

    static AccountView account(JsonObject o) {
        return new AccountView(str(o, "bank"), str(o, "account"), str(o, "type"), num(o, "balance"),
                list(o, "holders", h -> new Holder(str(h, "name"), str(h, "cpf"), str(h, "role"))),
                o.has("balance") && !o.get("balance").isJsonNull());
    }

    static ConsentView consent(JsonObject o) {
        return new ConsentView(str(o, "id"), str(o, "bank"), str(o, "account"), str(o, "grantee"), num(o, "limit"),
                num(o, "remaining"), str(o, "expiresAt"), bool(o, "read"), str(o, "status"));
    }

    static LinkedAccount linked(JsonObject o) {
        JsonElement b = o.get("balance");
        return new LinkedAccount(str(o, "bank"), str(o, "account"), str(o, "consentId"), num(o, "remaining"),
                str(o, "expiresAt"), str(o, "status") == null ? "ACTIVE" : str(o, "status"), bool(o, "read"),
                b == null || b.isJsonNull() ? null : b.getAsLong());
    }

    static boolean bool(JsonObject o, String k) {
        JsonElement e = o.get(k);
        return e != null && !e.isJsonNull() && e.getAsBoolean();
    }

    static TransactionResult transaction(JsonObject o) {
        JsonObject order = o.has("order") && o.get("order").isJsonObject() ? o.getAsJsonObject("order") : new JsonObject();
        JsonElement leg = o.get("failedLeg");
        return new TransactionResult(str(o, "id"), str(o, "status"), str(o, "reason"),
                leg == null || leg.isJsonNull() ? null : leg.getAsInt(), str(order, "origin"), longs(order, "clock"));
    }

    static JsonObject holder(HolderForm h) {
        JsonObject o = new JsonObject();
        o.addProperty("name", h.name());
        o.addProperty("cpf", h.cpf());
        o.addProperty("username", h.username());
        o.addProperty("password", h.password());
        if (h.email() != null && !h.email().isBlank()) {
            o.addProperty("email", h.email());
        }
        if (h.phone() != null && !h.phone().isBlank()) {
            o.addProperty("phone", h.phone());
        }
        return o;
    }

    static JsonObject ref(AccountRef r) {
        JsonObject o = new JsonObject();
        o.addProperty("bank", r.bank());
        o.addProperty("account", r.account());
        return o;
    }

    static JsonArray array(List<JsonObject> items) {
        JsonArray a = new JsonArray();
        items.forEach(a::add);
        return a;
    }
}
