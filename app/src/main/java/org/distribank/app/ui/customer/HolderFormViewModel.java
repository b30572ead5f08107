package org.distribank.app.ui.customer;

import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.distribank.app.client.HolderForm;

/**
 * One person on a form: a holder, a co-holder or an employee, with the login they will use at this bank.
 * Each field has its error (null when fine), so the view marks exactly the fields to fix.
 */
public final class HolderFormViewModel {

    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty cpf = new SimpleStringProperty("");
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final StringProperty email = new SimpleStringProperty("");
    private final StringProperty phone = new SimpleStringProperty("");

    private final StringBinding nameError = check(name, Validation::name);
    private final StringBinding cpfError = check(cpf, Validation::cpf);
    private final StringBinding usernameError = check(username, Validation::username);
    private final StringBinding passwordError = check(password, Validation::password);
    private final StringBinding emailError = check(email, Validation::email);
    private final StringBinding phoneError = check(phone, Validation::phone);
    private final BooleanBinding valid = Bindings.createBooleanBinding(() -> nameError.get() == null
                    && cpfError.get() == null && usernameError.get() == null && passwordError.get() == null
                    && emailError.get() == null && phoneError.get() == null,
            nameError, cpfError, usernameError, passwordError, emailError, phoneError);

    private static StringBinding check(StringProperty p, Function<String, String> rule) {
        return Bindings.createStringBinding(() -> rule.apply(p.get()), p);
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty cpfProperty() {
        return cpf;
    }

    public StringProperty usernameProperty() {
        return username;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public StringProperty emailProperty() {
        return email;
    }

    public StringProperty phoneProperty() {
        return phone;
    }

    public StringBinding nameError() {
        return nameError;
    }

    public StringBinding cpfError() {
        return cpfError;
    }

    public StringBinding usernameError() {
        return usernameError;
    }

    public StringBinding passwordError() {
        return passwordError;
    }

    public StringBinding emailError() {
        return emailError;
    }

    public StringBinding phoneError() {
        return phoneError;
    }

    public BooleanBinding validProperty() {
        return valid;
    }

    public boolean isValid() {
        return valid.get();
    }

    /** The request body's holder; the password exactly as typed, the rest trimmed. */
    public HolderForm toForm() {
        return new HolderForm(name.get().strip(), cpf.get().strip(), username.get().strip(), password.get(),
                blankToNull(email.get()), blankToNull(phone.get()));
    }

    /** The bare CPF digits, for comparing holders of one form. */
    String cpfDigits() {
        return cpf.get() == null ? "" : cpf.get().replaceAll("[^0-9]", "");
    }

    public void clear() {
        name.set("");
        cpf.set("");
        username.set("");
        password.set("");
        email.set("");
        phone.set("");
    }

    /** Forgets the password once it has been sent. */
    public void clearPassword() {
        password.set("");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
