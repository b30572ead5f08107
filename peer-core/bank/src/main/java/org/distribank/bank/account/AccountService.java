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
import org.distribank.bank.pix.InvalidPixKeyException;
import org.distribank.bank.pix.PixKey;
import org.distribank.bank.pix.PixKeyType;

/**
 * Opens accounts, adds and removes holders. Local to this bank: not through the total order (DESIGN.md). Every
 * check that needs no I/O runs first, then the checks against the data server, then bcrypt, all outside any
 * shared lock; only the final re-check (taken usernames, one account per CPF/CNPJ) and the writes run under the
 * opening lock, so slow requests cannot stall other openings. Every check runs before the first write, so a
 * refused request changes nothing.
 */
public final class AccountService {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,64}");
    /** Holders of a JOINT account, the first included (BANK.md "Limits"). */
    public static final int MAX_JOINT_HOLDERS = 10;
    /** Employees of a BUSINESS account, the admin not counted. */
    public static final int MAX_EMPLOYEES = 50;

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

    /** The same answer for an account that does not exist and one that is not the caller's (no probing). */
    public static ApiException noSuchAccount(String id) {
        return ApiException.notFound("ACCOUNT_NOT_FOUND", "You have no account " + id + " at this bank.");
    }

    /** A holder's fields checked: printable name, CPF digits, username, password, contacts. */
    public static HolderInput checkHolder(HolderRequest o) {
        String name = printableName(o.name(), "name");
        String cpfText = o.cpf();
        String cpf = Cpf.parse(cpfText).orElseThrow(() -> ApiException.badRequest("INVALID_CPF",
                "The CPF is not valid: check its digits.")).digits();
        String username = o.username();
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.badRequest("INVALID_USERNAME",
                    "A username is 3-64 letters, digits, '.', '_' or '-'.");
        }
        String password = o.password();
        if (password.length() < Passwords.MIN_LENGTH) {
            throw ApiException.badRequest("WEAK_PASSWORD", "A password has at least 8 characters.");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > Passwords.MAX_BYTES) {
            throw ApiException.badRequest("PASSWORD_TOO_LONG", "A password is at most 72 bytes (UTF-8).");
        }
        // kept in the PIX key's canonical form: an EMAIL/PHONE key must equal what the holder registered here
        String email = contact(o.email(), PixKeyType.EMAIL, "INVALID_EMAIL");
        String phone = contact(o.phone(), PixKeyType.PHONE, "INVALID_PHONE");
        return new HolderInput(name, cpf, username, password, email, phone);
    }

    private static String contact(String value, PixKeyType type, String code) {
        if (value == null) {
            return null;
        }
        try {
            return PixKey.parse(type, value).value();
        } catch (InvalidPixKeyException e) {
            throw ApiException.badRequest(code, "The " + type.name().toLowerCase(java.util.Locale.ROOT) + " is "
                    + e.getMessage() + ".");
        }
    }

    /**
     * A person's or company's name, stripped: control characters (line breaks included), format characters
     * (bidirectional overrides, zero-width joiners), unpaired surrogates and unassigned code points are refused,
     * as they let a name display as another one in statements, PIX answers and logs.
     */
    public static String printableName(String text, String field) {
        String s = text.strip();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int t = Character.getType(cp);
            if (t == Character.CONTROL || t == Character.FORMAT || t == Character.SURROGATE
                    || t == Character.PRIVATE_USE || t == Character.UNASSIGNED || t == Character.LINE_SEPARATOR
                    || t == Character.PARAGRAPH_SEPARATOR) {
                throw ApiException.badRequest("INVALID_NAME", "Field '" + field + "' holds a control, format or "
                        + String.format("unassigned character (U+%04X).", cp));
            }
            i += Character.charCount(cp);
        }
        if (s.isEmpty()) {
            throw ApiException.badRequest("INVALID_NAME", "Field '" + field + "' is empty.");
        }
        return s;
    }

    /** {@code POST /api/v1/accounts}: the new account. */
    public Account open(OpenAccountRequest body) {
        AccountType type = body.type();
        List<HolderInput> holders = new ArrayList<>();
        String companyName = null;
        String cnpj = null;
        switch (type) {
            case PERSONAL -> holders.add(checkHolder(body.holder()));
            case JOINT -> {
                for (HolderRequest h : body.holders()) {
                    holders.add(checkHolder(h));
                }
                if (holders.size() < 2) {
                    throw ApiException.badRequest("JOINT_NEEDS_TWO", "A joint account needs two or more holders.");
                }
            }
            case BUSINESS -> {
                CompanyRequest company = body.company();
                companyName = printableName(company.name(), "company.name");
                cnpj = Cnpj.parse(company.cnpj()).orElseThrow(() -> ApiException.badRequest(
                        "INVALID_CNPJ", "The CNPJ is not valid: check its digits.")).value();
                holders.add(checkHolder(body.holder()));
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
        // cheap checks (memory, then data-server reads) before any bcrypt work, outside the lock
        checkNoAccountYet(type, holders, cnpj);
        List<Boolean> isNew = new ArrayList<>();
        for (HolderInput h : holders) {
            isNew.add(customerState(h) == null);
        }
        // bcrypt outside any shared lock: existing customers prove their password, new ones get a hash
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < holders.size(); i++) {
            HolderInput h = holders.get(i);
            if (isNew.get(i)) {
                hashes.add(passwords.hash(h.password()));
            } else {
                checkSamePassword(h);
                hashes.add(null);
            }
        }
        synchronized (openLock) {
            // again under the lock: a concurrent opening may have taken a username, a CPF or the CNPJ meanwhile
            checkNoAccountYet(type, holders, cnpj);
            for (int i = 0; i < holders.size(); i++) {
                Boolean state = customerState(holders.get(i));
                if (state == null != isNew.get(i)) {
                    throw ApiException.conflict("CPF_REGISTERED", "This CPF became a customer meanwhile: try again.");
                }
            }
            for (int i = 0; i < holders.size(); i++) {
                if (isNew.get(i)) {
                    HolderInput h = holders.get(i);
                    ledger.createCustomer(h.cpf(), h.name(), h.username(), hashes.get(i), h.email(), h.phone());
                }
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

    private void checkNoAccountYet(AccountType type, List<HolderInput> holders, String cnpj) {
        for (HolderInput h : holders) {
            String cpf = h.cpf();
            if (type != AccountType.BUSINESS
                    && directory.heldBy(cpf).stream().anyMatch(a -> a.type() == type && a.heldBy(cpf))) {
                throw ApiException.conflict("ACCOUNT_EXISTS",
                        "This CPF already has a " + type.name().toLowerCase() + " account at this bank.");
            }
        }
        if (cnpj != null && directory.all().stream().anyMatch(a -> cnpj.equals(a.cnpj()))) {
            throw ApiException.conflict("ACCOUNT_EXISTS", "This CNPJ already has a business account at this bank.");
        }
    }

    /**
     * Who may add and remove the people on an account: a BUSINESS account's admin; a JOINT account's first
     * holder (the first one listed at opening). The others get 403 NOT_ACCOUNT_MANAGER.
     */
    private Account managedAccount(String callerCpf, String accountId, String verb) {
        Account account = directory.get(accountId).filter(a -> a.heldBy(callerCpf))
                .orElseThrow(() -> noSuchAccount(accountId));
        switch (account.type()) {
            case JOINT -> {
                if (!account.holders().get(0).cpf().equals(callerCpf)) {
                    throw new ApiException(403, "NOT_ACCOUNT_MANAGER",
                            "Only the first holder of a joint account " + verb + " co-holders.");
                }
            }
            case BUSINESS -> {
                if (!account.adminIs(callerCpf)) {
                    throw new ApiException(403, "NOT_ADMIN", "Only the account's admin " + verb + " employees.");
                }
            }
            default -> throw ApiException.conflict("SINGLE_HOLDER_ACCOUNT", "A personal account has one holder.");
        }
        return account;
    }

    /**
     * {@code POST /api/v1/accounts/{account}/holders}: a co-holder (JOINT, by its first holder) or an employee
     * (BUSINESS, by its admin).
     */
    public Account addHolder(String callerCpf, String accountId, HolderRequest body) {
        Account account = managedAccount(callerCpf, accountId, "adds");
        HolderRole role = account.type() == AccountType.BUSINESS ? HolderRole.EMPLOYEE : HolderRole.HOLDER;
        HolderInput h = checkHolder(body);
        checkRoom(account);
        checkNewHolder(account, h, role);
        Boolean isNew = customerState(h) == null;
        String hash = null;
        if (isNew) {
            hash = passwords.hash(h.password());
        } else {
            checkSamePassword(h);
        }
        synchronized (openLock) {
            Account current = directory.get(accountId).orElseThrow(() -> noSuchAccount(accountId));
            checkRoom(current);
            checkNewHolder(current, h, role);
            if (customerState(h) == null != isNew) {
                throw ApiException.conflict("CPF_REGISTERED", "This CPF became a customer meanwhile: try again.");
            }
            if (isNew) {
                ledger.createCustomer(h.cpf(), h.name(), h.username(), hash, h.email(), h.phone());
            }
            Account a = AccountDirectory.fromJson(ledger.addHolder(accountId, h.cpf(), role.name()));
            directory.put(a);
            return a;
        }
    }

    private static void checkRoom(Account a) {
        if (a.type() == AccountType.JOINT && a.holders().size() >= MAX_JOINT_HOLDERS) {
            throw ApiException.conflict("HOLDER_LIMIT", "A joint account has at most " + MAX_JOINT_HOLDERS
                    + " holders.");
        }
        if (a.type() == AccountType.BUSINESS
                && a.holders().stream().filter(x -> x.role() == HolderRole.EMPLOYEE).count() >= MAX_EMPLOYEES) {
            throw ApiException.conflict("HOLDER_LIMIT", "A business account has at most " + MAX_EMPLOYEES
                    + " employees.");
        }
    }

    private void checkNewHolder(Account current, HolderInput h, HolderRole role) {
        if (current.heldBy(h.cpf())) {
            throw ApiException.conflict("ALREADY_A_HOLDER", "This person is already on the account.");
        }
        if (role == HolderRole.HOLDER
                && directory.heldBy(h.cpf()).stream().anyMatch(a -> a.type() == AccountType.JOINT)) {
            throw ApiException.conflict("ACCOUNT_EXISTS", "This CPF already has a joint account at this bank.");
        }
    }

    /**
     * {@code DELETE /api/v1/accounts/{account}/holders/{cpf}}: by the same person who adds them. The first
     * holder (JOINT) or admin (BUSINESS) cannot be removed, and a JOINT account keeps at least two holders. A
     * holder whose own CPF, e-mail or phone is a PIX key of the account must have it removed first (else
     * payments to that person would still land on an account they left).
     */
    public Account removeHolder(String callerCpf, String accountId, String cpf, List<String> accountKeys) {
        managedAccount(callerCpf, accountId, "removes");
        String target = Cpf.parse(cpf).map(Cpf::digits).orElseThrow(() -> ApiException.badRequest("INVALID_CPF",
                "The CPF is not valid: check its digits."));
        synchronized (openLock) {
            Account current = directory.get(accountId).orElseThrow(() -> noSuchAccount(accountId));
            Holder h = current.holders().stream().filter(x -> x.cpf().equals(target)).findFirst()
                    .orElseThrow(() -> ApiException.notFound("HOLDER_NOT_FOUND", "This CPF is not on the account."));
            if (h.role() == HolderRole.ADMIN || current.holders().get(0).cpf().equals(target)) {
                throw ApiException.conflict("CANNOT_REMOVE_MANAGER",
                        "The account's admin or first holder cannot be removed.");
            }
            if (current.type() == AccountType.JOINT && current.holders().size() <= 2) {
                throw ApiException.conflict("JOINT_NEEDS_TWO", "A joint account keeps at least two holders.");
            }
            Set<String> own = new HashSet<>();
            own.add(target);
            ledger.customer(target).ifPresent(c -> {
                for (String f : List.of("email", "phone")) {
                    if (c.has(f) && !c.get(f).isJsonNull()) {
                        own.add(c.get(f).getAsString());
                    }
                }
            });
            if (accountKeys.stream().anyMatch(own::contains)) {
                throw ApiException.conflict("HOLDER_HAS_PIX_KEYS",
                        "A PIX key of this account is this person's CPF, e-mail or phone: remove it first.");
            }
            Account a = AccountDirectory.fromJson(ledger.removeHolder(accountId, target));
            directory.put(a);
            return a;
        }
    }

    /**
     * Null when the holder is a new customer here (and the username is free), else TRUE. An existing customer
     * (same CPF) must come with the same username; the password is checked by {@link #checkSamePassword}.
     */
    private Boolean customerState(HolderInput h) {
        Optional<JsonObject> existing = ledger.customer(h.cpf());
        if (existing.isPresent()) {
            if (!h.username().equals(existing.get().get("username").getAsString())) {
                throw cpfRegistered();
            }
            return Boolean.TRUE;
        }
        if (ledger.customerByUsername(h.username()).isPresent()) {
            throw ApiException.conflict("USERNAME_TAKEN", "The username " + h.username() + " is taken.");
        }
        return null;
    }

    /** One person keeps one login at a bank: an existing customer proves it with the same password. */
    private void checkSamePassword(HolderInput h) {
        JsonObject c = ledger.customer(h.cpf()).orElseThrow(AccountService::cpfRegistered);
        if (!passwords.matches(h.password(), c.get("password_hash").getAsString())) {
            throw cpfRegistered();
        }
    }

    private static ApiException cpfRegistered() {
        return ApiException.conflict("CPF_REGISTERED", "This CPF is already a customer of this bank: "
                + "give the same username and password as before.");
    }
}
