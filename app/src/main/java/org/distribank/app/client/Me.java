package org.distribank.app.client;

import java.util.List;

/** The signed-in holder, their accounts here, elsewhere in the consortium, and banks that did not answer. */
public record Me(String name, String cpf, List<AccountView> accounts, List<AccountView> elsewhere,
                 List<String> unreachable) {
}
