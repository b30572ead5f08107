package org.distribank.bank.account;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.distribank.bank.ledger.LedgerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This bank's accounts, in memory, loaded from the data server at start. The protocol thread reads it
 * while voting (account exists? holder allowed?), so it must be complete before the node replays its log.
 * Account numbers are sequential from {@link #FIRST_NUMBER}, which lets the bank find them all again
 * (the data server has no list call): it probes numbers until it has found as many as {@code /total} counts.
 */
public final class AccountDirectory {

    public static final int FIRST_NUMBER = 1001;
    private static final Logger LOG = LoggerFactory.getLogger(AccountDirectory.class);
    private static final int MAX_GAP = 1_000;

    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
    private volatile int nextNumber = FIRST_NUMBER;

    public void load(LedgerClient ledger) {
        long count = ledger.total().get("accounts").getAsLong();
        int n = FIRST_NUMBER;
        int misses = 0;
        while (accounts.size() < count && misses < MAX_GAP) {
            Optional<JsonObject> a = ledger.account(Integer.toString(n));
            if (a.isPresent()) {
                put(fromJson(a.get()));
                misses = 0;
            } else {
                misses++;
            }
            n++;
        }
        nextNumber = accounts.keySet().stream().mapToInt(Integer::parseInt).max().orElse(FIRST_NUMBER - 1) + 1;
        LOG.info("loaded {} accounts", accounts.size());
    }

    public static Account fromJson(JsonObject o) {
        List<Holder> holders = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("holders")) {
            JsonObject h = e.getAsJsonObject();
            holders.add(new Holder(h.get("cpf").getAsString(), h.get("name").getAsString(),
                    HolderRole.valueOf(h.get("role").getAsString())));
        }
        JsonObject company = o.has("company") && o.get("company").isJsonObject() ? o.getAsJsonObject("company") : null;
        return new Account(o.get("account_id").getAsString(), AccountType.valueOf(o.get("type").getAsString()),
                company == null ? null : company.get("name").getAsString(),
                company == null ? null : company.get("cnpj").getAsString(), holders);
    }

    public void put(Account a) {
        accounts.put(a.id(), a);
    }

    public Optional<Account> get(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(accounts.get(id));
    }

    public boolean exists(String id) {
        return id != null && accounts.containsKey(id);
    }

    public List<Account> heldBy(String cpf) {
        return accounts.values().stream().filter(a -> a.heldBy(cpf))
                .sorted(Comparator.comparing(Account::id)).toList();
    }

    public Collection<Account> all() {
        return accounts.values().stream().sorted(Comparator.comparing(Account::id)).toList();
    }

    /** The next free number; the caller serialises account opening. */
    public int nextNumber() {
        return nextNumber;
    }

    public void numberUsed(int n) {
        nextNumber = Math.max(nextNumber, n + 1);
    }
}
