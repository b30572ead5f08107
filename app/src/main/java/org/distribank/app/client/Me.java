package org.distribank.app.client;

import java.util.List;

/**
 * The signed-in holder, their accounts at this bank, and the accounts at other banks they linked here with a
 * consent of that bank. A CPF alone shows nothing at another bank (API.md v1.1).
 */
public record Me(String name, String cpf, List<AccountView> accounts, List<LinkedAccount> linked) {
}
