package org.distribank.bank.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.distribank.bank.account.Account;
import org.distribank.bank.account.Holder;
import org.distribank.bank.pix.PixEntry;
import org.distribank.common.StrictJson;

/** JSON shapes of API.md. */
final class Views {

    private Views() {
    }

    static JsonObject account(String bank, Account a, long balance) {
        JsonObject o = new JsonObject();
        o.addProperty("bank", bank);
        o.addProperty("account", a.id());
        o.addProperty("type", a.type().name());
        o.addProperty("balance", balance);
        JsonArray hs = new JsonArray();
        for (Holder h : a.holders()) {
            JsonObject ho = new JsonObject();
            ho.addProperty("name", h.name());
            ho.addProperty("cpf", h.cpf());
            ho.addProperty("role", h.role().name());
            hs.add(ho);
        }
        o.add("holders", hs);
        if (a.cnpj() != null) {
            JsonObject c = new JsonObject();
            c.addProperty("name", a.companyName());
            c.addProperty("cnpj", a.cnpj());
            o.add("company", c);
        }
        return o;
    }

    static JsonObject accountSummary(String bank, Account a, long balance) {
        JsonObject o = new JsonObject();
        o.addProperty("bank", bank);
        o.addProperty("account", a.id());
        o.addProperty("type", a.type().name());
        o.addProperty("balance", balance);
        return o;
    }

    static JsonObject pixKey(PixEntry e) {
        JsonObject o = new JsonObject();
        o.addProperty("key", e.key());
        o.addProperty("type", e.type().name());
        o.addProperty("bank", e.bank());
        o.addProperty("account", e.account());
        return o;
    }

    /** A record as its JSON object: components as fields, null ones left out (the records' schemas: BankOpenApi). */
    static JsonObject json(Record r) {
        return StrictJson.GSON.toJsonTree(r).getAsJsonObject();
    }

    static JsonObject holder(String name, String cpf) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("cpf", cpf);
        return o;
    }
}
