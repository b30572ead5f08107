package org.distribank.bank.pix;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This bank's replica of the whole consortium's PIX directory. Written only by the state machine at
 * {@code decide}, in delivery order, so every bank holds the same directory at the same position; rebuilt
 * after a restart from the bank's snapshot ({@link #reload}) and the protocol log's replay after it. Readers (API
 * threads) see a concurrent map.
 */
public final class PixDirectory {

    private final ConcurrentHashMap<String, PixEntry> keys = new ConcurrentHashMap<>();
    /** Keys per "bank/account", so the per-account limit is counted without scanning the directory. */
    private final ConcurrentHashMap<String, Integer> perAccount = new ConcurrentHashMap<>();

    public Optional<PixEntry> get(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(keys.get(key));
    }

    public boolean contains(String key) {
        return keys.containsKey(key);
    }

    public void put(PixEntry e) {
        PixEntry old = keys.put(e.key(), e);
        if (old != null) {
            uncount(old);
        }
        perAccount.merge(e.bank() + "/" + e.account(), 1, Integer::sum);
    }

    public void remove(String key) {
        PixEntry old = keys.remove(key);
        if (old != null) {
            uncount(old);
        }
    }

    private void uncount(PixEntry e) {
        perAccount.computeIfPresent(e.bank() + "/" + e.account(), (k, n) -> n <= 1 ? null : n - 1);
    }

    /** How many keys point at that account. */
    public int countOf(String bank, String account) {
        return perAccount.getOrDefault(bank + "/" + account, 0);
    }

    public List<PixEntry> ofAccount(String bank, String account) {
        return keys.values().stream().filter(e -> e.bank().equals(bank) && e.account().equals(account))
                .sorted(Comparator.comparing(PixEntry::key)).toList();
    }

    public int size() {
        return keys.size();
    }

    /** Every key, sorted by key (a snapshot's deterministic order). */
    public List<PixEntry> all() {
        return keys.values().stream().sorted(Comparator.comparing(PixEntry::key)).toList();
    }

    /** Replaces the whole directory with {@code entries} (a restored snapshot; protocol thread, before serving). */
    public void reload(List<PixEntry> entries) {
        keys.clear();
        perAccount.clear();
        entries.forEach(this::put);
    }

    /** "Maria da Silva" → "Maria d** S****": enough to recognise a payee, not to learn their full name. */
    public static String mask(String name) {
        String[] parts = name.strip().split("\\s+");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            sb.append(' ').append(p.charAt(0)).append("*".repeat(Math.max(1, p.length() - 1)));
        }
        return sb.toString();
    }
}
