package org.distribank.app.ui.customer;

import atlantafx.base.theme.Styles;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.distribank.app.ui.customer.CustomerState.Section;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * A customer window's content: who is signed in at which bank, and tabs for what they can do. Signed out, the
 * tabs are "Sign in" and "Open an account"; signed in, the accounts, money, statement, PIX keys, and linked
 * accounts and consents.
 */
public final class CustomerView extends BorderPane {

    private final CustomerViewModel vm;
    private final TabPane tabs = new TabPane();
    private final Map<Section, Tab> bySection = new EnumMap<>(Section.class);
    private final Map<Section, Node> focusOnShow = new EnumMap<>(Section.class);

    public CustomerView(CustomerViewModel vm) {
        this.vm = vm;
        getStyleClass().add("customer-view");
        setTop(header());

        SignInPane signIn = new SignInPane(vm);
        OpenAccountPane open = new OpenAccountPane(vm);
        AccountsPane accounts = new AccountsPane(vm);
        CashPane cash = new CashPane(vm);
        TransferPane transfer = new TransferPane(vm);
        StatementPane statement = new StatementPane(vm);
        PixPane pix = new PixPane(vm);
        LinksPane links = new LinksPane(vm);
        tab(Section.SIGN_IN, "tab-sign-in", "Sign in", Feather.LOG_IN, signIn, signIn.defaultButton());
        tab(Section.OPEN_ACCOUNT, "tab-open-account", "Open an account", Feather.USER_PLUS, open, open.defaultButton());
        tab(Section.ACCOUNTS, "tab-accounts", "Accounts", Feather.CREDIT_CARD, accounts, accounts.defaultButton());
        tab(Section.CASH, "tab-cash", "Deposit & withdraw", Feather.DOLLAR_SIGN, cash, cash.defaultButton());
        tab(Section.TRANSFER, "tab-transfer", "Transfer", Feather.REPEAT, transfer, transfer.defaultButton());
        tab(Section.STATEMENT, "tab-statement", "Statement", Feather.LIST, statement, null);
        tab(Section.PIX, "tab-pix", "PIX keys", Feather.KEY, pix, pix.defaultButton());
        tab(Section.LINKS, "tab-links", "Linked & consents", Feather.LINK, links, links.defaultButton());
        focusOnShow.put(Section.SIGN_IN, signIn.firstField());
        focusOnShow.put(Section.OPEN_ACCOUNT, open.firstField());
        focusOnShow.put(Section.CASH, cash.firstField());
        focusOnShow.put(Section.LINKS, links.firstField());

        tabs.setId("cw-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getStyleClass().add(Styles.TABS_FLOATING);
        tabs.setTabMaxWidth(260); // whole labels ("Deposit & withdraw"), not a fixed width that cuts them
        tabs.setTabMinWidth(60);
        showTabs();
        vm.signedInProperty().addListener((o, a, b) -> showTabs());
        vm.sectionProperty().addListener((o, a, s) -> select(s));
        select(vm.sectionProperty().get());
        setCenter(tabs);

        ProgressIndicator spin = new ProgressIndicator();
        spin.setPrefSize(14, 14);
        spin.visibleProperty().bind(vm.accounts().refreshingProperty());
        Label notice = new Label();
        notice.setId("cw-notice");
        notice.setWrapText(true);
        notice.textProperty().bind(vm.noticeProperty());
        notice.getStyleClass().add(Styles.TEXT_SMALL);
        vm.noticeIsErrorProperty().addListener((o, was, error) -> {
            if (error) {
                notice.getStyleClass().add(Styles.DANGER);
            } else {
                notice.getStyleClass().remove(Styles.DANGER);
            }
        });
        HBox footer = new HBox(8, spin, notice);
        footer.setAlignment(Pos.CENTER_LEFT);
        footer.setPadding(new Insets(6, 16, 8, 16));
        footer.getStyleClass().add("customer-footer");
        setBottom(footer);
    }

    public CustomerViewModel viewModel() {
        return vm;
    }

    private Node header() {
        FontIcon avatar = new FontIcon(Feather.USER);
        avatar.getStyleClass().add("customer-avatar");
        Label title = new Label();
        title.setId("cw-title");
        title.getStyleClass().add("page-title");
        title.textProperty().bind(vm.titleProperty());
        Label sub = new Label();
        sub.setId("cw-subtitle");
        sub.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        sub.textProperty().bind(vm.subtitleProperty());
        VBox who = new VBox(2, title, sub);
        HBox spacer = new HBox();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button refresh = Form.button("cw-refresh", null, Feather.REFRESH_CW);
        refresh.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        refresh.setTooltip(new javafx.scene.control.Tooltip("Refresh balances, statement and PIX keys"));
        refresh.setOnAction(e -> vm.refreshAll());
        Button signOut = Form.button("cw-sign-out", "Sign _out", Feather.LOG_OUT);
        signOut.getStyleClass().add(Styles.BUTTON_OUTLINED);
        signOut.setOnAction(e -> vm.signOut());
        for (Button b : List.of(refresh, signOut)) {
            b.visibleProperty().bind(vm.signedInProperty());
            b.managedProperty().bind(b.visibleProperty());
        }
        HBox header = new HBox(12, avatar, who, spacer, refresh, signOut);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(12, 16, 4, 16));
        header.getStyleClass().add("customer-header");
        return header;
    }

    private void tab(Section s, String id, String text, Feather icon, Node content, Button defaultButton) {
        Tab t = new Tab(text, content);
        t.setId(id);
        t.setGraphic(new FontIcon(icon));
        if (defaultButton != null) {
            defaultButton.defaultButtonProperty().bind(t.selectedProperty());
        }
        t.selectedProperty().addListener((o, a, selected) -> {
            Node f = focusOnShow.get(s);
            if (selected && f != null) {
                Platform.runLater(f::requestFocus);
            }
        });
        bySection.put(s, t);
    }

    private void showTabs() {
        List<Section> shown = vm.isSignedIn()
                ? List.of(Section.ACCOUNTS, Section.CASH, Section.TRANSFER, Section.STATEMENT, Section.PIX,
                Section.LINKS, Section.OPEN_ACCOUNT)
                : List.of(Section.SIGN_IN, Section.OPEN_ACCOUNT);
        tabs.getTabs().setAll(shown.stream().map(bySection::get).toList());
    }

    private void select(Section s) {
        Tab t = s == null ? null : bySection.get(s);
        if (t != null && tabs.getTabs().contains(t)) {
            tabs.getSelectionModel().select(t);
        }
    }
}
