package org.distribank.app.ui.customer;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

/** The sign-in form of a customer window. */
final class SignInPane extends VBox {

    private final Button submit;
    private final TextField username;

    SignInPane(CustomerViewModel w) {
        SignInViewModel vm = w.signIn();
        Form form = new Form();
        username = form.row("_Username", Form.text("sign-in-username", vm.usernameProperty(), "maria"), null, null);
        form.row("_Password", Form.password("sign-in-password", vm.passwordProperty(), ""),
                null, null);
        submit = Form.submit("sign-in-button", "_Sign in", Feather.LOG_IN, vm.validProperty(), vm.busyProperty());
        submit.setOnAction(e -> vm.signIn());
        ProgressIndicator spin = new ProgressIndicator();
        spin.setPrefSize(18, 18);
        spin.visibleProperty().bind(vm.busyProperty());
        form.span(Form.bar(submit, spin));
        form.span(Form.message("sign-in-error", vm.errorProperty(), Styles.DANGER));
        form.submitOnEnter(form.grid(), vm::signIn);

        VBox card = Form.card("Sign in at " + vm.bankName(), Feather.LOG_IN,
                "Each bank has its own login. No account here yet? Open one in the next tab.", form.grid());
        card.setMaxWidth(520);
        getChildren().add(card);
        setPadding(new Insets(16));
    }

    Button defaultButton() {
        return submit;
    }

    TextField firstField() {
        return username;
    }
}
