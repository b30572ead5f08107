package org.distribank.bank.api;

import com.google.gson.JsonObject;
import org.distribank.bank.account.Account;
import org.distribank.bank.account.Holder;
import org.distribank.bank.pix.PixEntry;
import org.distribank.common.StrictJson;

/** JSON shapes of API.md, written from the records of {@link Bodies} (whose schemas BankOpenApi publishes). */
final class Views {

    private Views() {
    }

    static JsonObject account(String bank, Account a, long balance) {
        return json(new Bodies.AccountView(bank, a.id(), a.type(), balance, a.holders().stream()
                .map((Holder h) -> new Bodies.HolderView(h.name(), h.cpf(), h.role())).toList(),
                a.cnpj() == null ? null : new Bodies.Company(a.companyName(), a.cnpj())));
    }

    static JsonObject accountSummary(String bank, Account a, long balance) {
        return json(new Bodies.AccountSummary(bank, a.id(), a.type(), balance));
    }

    static JsonObject pixKey(PixEntry e) {
        return json(new Bodies.PixKeyView(e.key(), e.type(), e.bank(), e.account()));
    }

    static JsonObject holder(String name, String cpf) {
        return json(new Bodies.Person(name, cpf));
    }

    /** A record as its JSON object: components as fields, null ones left out (the records' schemas: BankOpenApi). */
    static JsonObject json(Record r) {
        return StrictJson.GSON.toJsonTree(r).getAsJsonObject();
    }
}
