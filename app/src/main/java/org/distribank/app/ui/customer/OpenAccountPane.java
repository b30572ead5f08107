package org.distribank.app.ui.customer;

import atlantafx.base.theme.Styles;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

/** Opening a PERSONAL, JOINT or BUSINESS account at the window's bank. */
final class OpenAccountPane extends ScrollPane {

    private final Button submit;
    private final List<Form> holderForms = new ArrayList<>();
    private final ToggleButton personal;

    OpenAccountPane(CustomerViewModel w) {
        OpenAccountViewModel vm = w.openAccount();
        ToggleGroup kinds = new ToggleGroup();
        personal = kind("open-kind-personal", "_Personal", OpenAccountViewModel.Kind.PERSONAL, kinds, vm, Styles.LEFT_PILL);
        ToggleButton joint = kind("open-kind-joint", "_Joint", OpenAccountViewModel.Kind.JOINT, kinds, vm,
                Styles.CENTER_PILL);
        ToggleButton business = kind("open-kind-business", "_Business", OpenAccountViewModel.Kind.BUSINESS, kinds, vm,
                Styles.RIGHT_PILL);
        kinds.selectedToggleProperty().addListener((o, a, t) -> {
            if (t == null) {
                kinds.selectToggle(a); // one kind is always chosen
            } else {
                vm.kindProperty().set((OpenAccountViewModel.Kind) t.getUserData());
            }
        });
        vm.kindProperty().addListener((o, a, k) -> kinds.getToggles().stream().filter(t -> t.getUserData() == k)
                .findFirst().ifPresent(kinds::selectToggle));
        Label kindHint = new Label();
        kindHint.getStyleClass().add(Styles.TEXT_MUTED);
        kindHint.setWrapText(true);
        kindHint.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> switch (vm.kindProperty()
                .get()) {
            case PERSONAL -> "One holder.";
            case JOINT -> "Two or more holders, each with a CPF and a login of their own.";
            case BUSINESS -> "A company (name and CNPJ) and its admin, who may later add employees.";
        }, vm.kindProperty()));

        Form company = new Form();
        company.row("Company _name", Form.text("open-company-name", vm.companyNameProperty(), "Souza Comercio Ltda"),
                vm.companyNameError(), "open-company-name-error");
        company.row("_CNPJ", Form.text("open-cnpj", vm.cnpjProperty(), "11.222.333/0001-81"), vm.cnpjError(),
                "open-cnpj-error");
        VBox companyBox = Form.card("Company", Feather.BRIEFCASE, null, company.grid());
        companyBox.visibleProperty().bind(vm.kindProperty().isEqualTo(OpenAccountViewModel.Kind.BUSINESS));
        companyBox.managedProperty().bind(companyBox.visibleProperty());

        VBox people = new VBox(12);
        Runnable rebuild = () -> {
            holderForms.clear();
            people.getChildren().clear();
            for (int i = 0; i < vm.holders().size(); i++) {
                people.getChildren().add(holderCard(vm, vm.holders().get(i), i));
            }
        };
        vm.holders().addListener((ListChangeListener<HolderFormViewModel>) c -> rebuild.run());
        vm.kindProperty().addListener((o, a, k) -> rebuild.run());
        rebuild.run();

        Button more = Form.button("open-add-holder", "Add _holder", Feather.USER_PLUS);
        more.setOnAction(e -> vm.addHolder());
        more.visibleProperty().bind(vm.kindProperty().isEqualTo(OpenAccountViewModel.Kind.JOINT));
        more.managedProperty().bind(more.visibleProperty());

        submit = Form.submit("open-submit", "Open _account", Feather.CHECK, vm.validProperty(), vm.busyProperty());
        submit.setOnAction(e -> vm.submit());
        ProgressIndicator spin = new ProgressIndicator();
        spin.setPrefSize(18, 18);
        spin.visibleProperty().bind(vm.busyProperty());

        VBox content = new VBox(12,
                pills(personal, joint, business), kindHint, companyBox, people, more,
                Form.message("open-form-error", vm.formErrorProperty().orElse(""), Styles.DANGER),
                Form.bar(submit, spin),
                Form.message("open-error", vm.errorProperty(), Styles.DANGER),
                Form.message("open-message", vm.messageProperty(), Styles.SUCCESS));
        content.setPadding(new Insets(16));
        content.setMaxWidth(640);
        content.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ENTER && !(e.getTarget() instanceof javafx.scene.control.ButtonBase)) {
                company.touchAll();
                holderForms.forEach(Form::touchAll);
                vm.submit();
                e.consume();
            }
        });
        setContent(content);
        setFitToWidth(true);
    }

    Button defaultButton() {
        return submit;
    }

    ToggleButton firstField() {
        return personal;
    }

    /** Toggle buttons joined as one control (AtlantaFX pills). */
    static javafx.scene.layout.HBox pills(ToggleButton... buttons) {
        javafx.scene.layout.HBox h = new javafx.scene.layout.HBox(buttons);
        h.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return h;
    }

    private static ToggleButton kind(String id, String text, OpenAccountViewModel.Kind k, ToggleGroup g,
                                     OpenAccountViewModel vm, String pill) {
        ToggleButton t = Form.toggle(id, text, k, g, pill);
        t.setSelected(vm.kindProperty().get() == k);
        return t;
    }

    private VBox holderCard(OpenAccountViewModel vm, HolderFormViewModel h, int i) {
        Form f = new Form();
        holderForms.add(f);
        holderRows(f, h, "holder-" + i + "-");
        String title = switch (vm.kindProperty().get()) {
            case PERSONAL -> "Holder";
            case JOINT -> "Holder " + (i + 1);
            case BUSINESS -> "Admin";
        };
        VBox card = Form.card(title, Feather.USER, null, f.grid());
        if (vm.canRemoveHolders()) {
            Button remove = Form.button("holder-" + i + "-remove", "Remove", Feather.X);
            remove.getStyleClass().addAll(Styles.FLAT, Styles.DANGER);
            remove.setOnAction(e -> vm.removeHolder(h));
            card.getChildren().add(remove);
        }
        return card;
    }

    /** The rows of one person (ids {@code prefix + name|cpf|username|password|email|phone}). */
    static void holderRows(Form f, HolderFormViewModel h, String prefix) {
        f.row("Full _name", Form.text(prefix + "name", h.nameProperty(), "Maria Souza"), h.nameError(),
                prefix + "name-error");
        f.row("C_PF", Form.text(prefix + "cpf", h.cpfProperty(), "529.982.247-25"), h.cpfError(), prefix + "cpf-error");
        f.row("_Username", Form.text(prefix + "username", h.usernameProperty(), "maria"), h.usernameError(),
                prefix + "username-error");
        f.row("Pass_word", Form.password(prefix + "password", h.passwordProperty(), "at least 8 characters"),
                h.passwordError(), prefix + "password-error");
        TextField email = Form.text(prefix + "email", h.emailProperty(), "optional");
        f.row("_E-mail", email, h.emailError(), prefix + "email-error");
        f.row("P_hone", Form.text(prefix + "phone", h.phoneProperty(), "optional, +5511987654321"), h.phoneError(),
                prefix + "phone-error");
    }
}
