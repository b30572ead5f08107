package org.distribank.bank.account;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.distribank.bank.identity.Cnpj;
import org.distribank.bank.identity.Cpf;
import org.distribank.bank.ledger.LedgerClient;
import org.distribank.bank.ledger.LedgerException;
import org.distribank.common.ApiException;
import org.distribank.common.StrictJson;

/**
 * Opens accounts and adds holders. Local to this bank: not through the total order (DESIGN.md). Opening is
 * serialised by one lock so "taken" checks and the sequential account number cannot race; the slow bcrypt
 * work happens before the lock. Every check runs before the first write, so a refused request changes nothing.
 */
public final class AccountService {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,64}");

    private final LedgerClient ledger;
    private final AccountDirectory directory;
    private final Passwords passwords;
    private final Object openLock = new Object();

    public AccountService(LedgerClient ledger, AccountDirectory directory, Passwords passwords) {
        this.ledger = ledger;
        this.directory = directory;
        this.passwords = passwords;
    }

    /** A holder as the customer API sends it: {@code {"name","cpf","username","password","email"?,"phone"?}}. */
    public record HolderInput(String name, String cpf, String username, String password, String email, String phone) {

        /** Never prints the password. */
        @Override
        public String toString() {
            return "HolderInput[cpf=" + cpf + ", username=" + username + "]";
        }
    }

    public static HolderInput parseHolder(JsonObject o) {
        String name = StrictJson.string(o, "name", 200);
        String cpfText = StrictJson.string(o, "cpf", 20);
        String cpf = Cpf.parse(cpfText).orElseThrow(() -> ApiException.badRequest("INVALID_CPF",
                "The CPF is not valid: check its digits.")).digits();
        String username = StrictJson.string(o, "username", 64);
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.badRequest("INVALID_USERNAME",
                    "A username is 3-64 letters, digits, '.', '_' or '-'.");
        }
        String password = StrictJson.string(o, "password", 200);
        if (password.length() < Passwords.MIN_LENGTH
                || password.getBytes(StandardCharsets.UTF_8).length > Passwords.MAX_BYTES) {
            throw ApiException.badRequest("WEAK_PASSWORD", "A password has at least 8 characters (and at most 72 bytes).");
        }
        return new HolderInput(name.strip(), cpf, username, password, StrictJson.optString(o, "email", 200),
                StrictJson.optString(o, "phone", 40));
    }

    /** {@code POST /api/v1/accounts}: the new account. */
    public Account open(JsonObject body) {
        AccountType type = StrictJson.enumValue(body, "type", AccountType.class);
        List<HolderInput> holders = new ArrayList<>();
        String companyName = null;
        String cnpj = null;
        switch (type) {
            case PERSONAL -> holders.add(parseHolder(StrictJson.object(body, "holder")));
            case JOINT -> {
                JsonArray a = StrictJson.array(body, "holders", 10);
                for (int i = 0; i < a.size(); i++) {
                    holders.add(parseHolder(StrictJson.element(a, i, "holders")));
                }
                if (holders.size() < 2) {
                    throw ApiException.badRequest("JOINT_NEEDS_TWO", "A joint account needs two or more holders.");
                }
            }
            case BUSINESS -> {
                JsonObject company = StrictJson.object(body, "company");
                companyName = StrictJson.string(company, "name", 200).strip();
                cnpj = Cnpj.parse(StrictJson.string(company, "cnpj", 30)).orElseThrow(() -> ApiException.badRequest(
                        "INVALID_CNPJ", "The CNPJ is not valid: check its digits.")).value();
                holders.add(parseHolder(StrictJson.object(body, "holder")));
            }
            default -> throw new IllegalStateException();
        }
        Set<String> cpfs = new HashSet<>();
        Set<String> usernames = new HashSet<>();
        for (HolderInput h : holders) {
            if (!cpfs.add(h.cpf())) {
                throw ApiException.badRequest("DUPLICATE_HOLDER", "The holders of a joint account have distinct CPFs.");
            }
            if (!usernames.add(h.username())) {
                throw ApiException.conflict("USERNAME_TAKEN", "Each holder needs a username of their own.");
            }
        }
        List<String> hashes = holders.stream().map(h -> passwords.hash(h.password())).toList();
        synchronized (openLock) {
            List<Integer> toCreate = new ArrayList<>();
            for (int i = 0; i < holders.size(); i++) {
                if (checkCustomer(holders.get(i))) {
                    toCreate.add(i);
                }
                String cpf = holders.get(i).cpf();
                if (type != AccountType.BUSINESS
                        && directory.heldBy(cpf).stream().anyMatch(a -> a.type() == type && a.heldBy(cpf))) {
                    throw ApiException.conflict("ACCOUNT_EXISTS",
                            "This CPF already has a " + type.name().toLowerCase() + " account at this bank.");
                }
            }
            String cnpjFinal = cnpj;
            if (cnpj != null && directory.all().stream().anyMatch(a -> cnpjFinal.equals(a.cnpj()))) {
                throw ApiException.conflict("ACCOUNT_EXISTS", "This CNPJ already has a business account at this bank.");
            }
            for (int i : toCreate) {
                HolderInput h = holders.get(i);
                ledger.createCustomer(h.cpf(), h.name(), h.username(), hashes.get(i), h.email(), h.phone());
            }
            JsonArray hs = new JsonArray();
            for (HolderInput h : holders) {
                JsonObject o = new JsonObject();
                o.addProperty("cpf", h.cpf());
                o.addProperty("role", type == AccountType.BUSINESS ? "ADMIN" : "HOLDER");
                hs.add(o);
            }
            JsonObject company = null;
            if (type == AccountType.BUSINESS) {
                company = new JsonObject();
                company.addProperty("name", companyName);
                company.addProperty("cnpj", cnpj);
            }
            for (int attempt = 0; ; attempt++) {
                int number = directory.nextNumber();
                try {
                    Account a = AccountDirectory.fromJson(ledger.openAccount(Integer.toString(number), type.name(),
                            company, hs));
                    directory.put(a);
                    directory.numberUsed(number);
                    return a;
                } catch (LedgerException e) {
                    if (e.status() != 409 || attempt > 100) {
                        throw e;
                    }
                    directory.numberUsed(number); // taken by an opening whose answer was lost: skip it
                }
            }
        }
    }

    /**
     * {@code POST /api/v1/accounts/{account}/holders}: a co-holder (JOINT, by a holder) or an employee
     * (BUSINESS, by its admin).
     */
    public Account addHolder(String callerCpf, String accountId, JsonObject body) {
        Account account = directory.get(accountId).orElseThrow(() -> ApiException.notFound("ACCOUNT_NOT_FOUND",
                "There is no account " + accountId + " at this bank."));
        if (!account.heldBy(callerCpf)) {
            throw new ApiException(403, "NOT_YOUR_ACCOUNT", "This account is not yours.");
        }
        HolderRole role;
        switch (account.type()) {
            case JOINT -> role = HolderRole.HOLDER;
            case BUSINESS -> {
                if (!account.adminIs(callerCpf)) {
                    throw new ApiException(403, "NOT_ADMIN", "Only the account's admin adds employees.");
                }
                role = HolderRole.EMPLOYEE;
            }
            default -> throw ApiException.conflict("SINGLE_HOLDER_ACCOUNT", "A personal account has one holder.");
        }
        HolderInput h = parseHolder(body);
        String hash = passwords.hash(h.password());
        synchronized (openLock) {
            Account current = directory.get(accountId).orElseThrow();
            if (current.heldBy(h.cpf())) {
                throw ApiException.conflict("ALREADY_A_HOLDER", "This person is already on the account.");
            }
            if (role == HolderRole.HOLDER
                    && directory.heldBy(h.cpf()).stream().anyMatch(a -> a.type() == AccountType.JOINT)) {
                throw ApiException.conflict("ACCOUNT_EXISTS", "This CPF already has a joint account at this bank.");
            }
            if (checkCustomer(h)) {
                ledger.createCustomer(h.cpf(), h.name(), h.username(), hash, h.email(), h.phone());
            }
            Account a = AccountDirectory.fromJson(ledger.addHolder(accountId, h.cpf(), role.name()));
            directory.put(a);
            return a;
        }
    }

    /**
     * True when the holder is a new customer here. An existing customer (same CPF) must come with the
     * same username and password, so one person keeps one login at a bank.
     */
    private boolean checkCustomer(HolderInput h) {
        Optional<com.google.gson.JsonObject> existing = ledger.customer(h.cpf());
        if (existing.isPresent()) {
            JsonObject c = existing.get();
            if (!h.username().equals(c.get("username").getAsString())
                    || !passwords.matches(h.password(), c.get("password_hash").getAsString())) {
                throw ApiException.conflict("CPF_REGISTERED", "This CPF is already a customer of this bank: "
                        + "give the same username and password as before.");
            }
            return false;
        }
        if (ledger.customerByUsername(h.username()).isPresent()) {
            throw ApiException.conflict("USERNAME_TAKEN", "The username " + h.username() + " is taken.");
        }
        return true;
    }
}
