package org.distribank.app.ui.consortium;

import atlantafx.base.theme.Styles;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The consortium overview: a card per bank and the money invariant panel. */
public final class OverviewView extends ScrollPane {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    public OverviewView(OverviewViewModel vm) {
        setId("overview-page");
        setFitToWidth(true);
        getStyleClass().add("edge-to-edge");

        VBox header = ConsortiumViewKit.header("Consortium", Feather.GRID, "Every bank of the consortium as this app "
                + "and the other banks see it. A bank is online when it answers here and no other bank's failure "
                + "detector has it offline. Banks that delivered as many operations must show the same log hash.");

        Label online = new Label();
        online.setId("online-summary");
        online.textProperty().bind(vm.onlineTextProperty());
        online.getStyleClass().add(Styles.TEXT_BOLD);
        Label view = new Label();
        view.setId("view-summary");
        view.textProperty().bind(vm.viewTextProperty());
        view.setWrapText(true);
        Label agreement = new Label();
        agreement.setId("agreement");
        agreement.textProperty().bind(vm.agreementTextProperty());
        agreement.setWrapText(true);
        vm.agreementProperty().addListener((o, a, b) -> styleAgreement(agreement, b));
        styleAgreement(agreement, vm.agreementProperty().get());

        FlowPane cards = new FlowPane(12, 12);
        cards.setId("bank-cards");
        for (BankCard c : vm.cards()) {
            cards.getChildren().add(card(c));
        }

        VBox root = new VBox(12, header, new VBox(4, online, view, agreement), cards, invariant(vm));
        root.setPadding(new Insets(4, 8, 8, 4));
        setContent(root);
        ConsortiumViewKit.whileShown(this, Duration.millis(OverviewViewModel.AUDIT_EVERY_MS), vm::audit);
    }

    private static void styleAgreement(Label l, OverviewViewModel.Agreement a) {
        l.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER, Styles.WARNING);
        switch (a) {
            case AGREE -> l.getStyleClass().add(Styles.SUCCESS);
            case DIFFERS -> l.getStyleClass().add(Styles.DANGER);
            case CATCHING_UP -> l.getStyleClass().add(Styles.WARNING);
            default -> {
            }
        }
    }

    private static VBox card(BankCard c) {
        Circle light = new Circle(7);
        light.setId("light-" + c.id());
        light.getStyleClass().add("unknown-light");
        Tooltip lightTip = new Tooltip();
        lightTip.textProperty().bind(c.lightTextProperty());
        Tooltip.install(light, lightTip);
        c.lightProperty().addListener((o, a, b) -> lightClass(light, b));
        lightClass(light, c.light());

        Label name = new Label(c.name() + "  (" + c.id() + ")");
        name.getStyleClass().add(Styles.TITLE_4);
        Label state = new Label();
        state.setId("state-" + c.id());
        state.textProperty().bind(Bindings.createStringBinding(() -> switch (c.light()) {
            case ONLINE -> "online";
            case SUSPECT -> "seen offline";
            case OFFLINE -> "offline";
            default -> "...";
        }, c.lightProperty()));
        state.getStyleClass().add(Styles.TEXT_SMALL);
        HBox title = ConsortiumViewKit.row(light, name, ConsortiumViewKit.grow(), state);

        Label url = new Label(c.url());
        url.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        Label lightText = ConsortiumViewKit.muted(c.lightTextProperty());
        lightText.setId("light-text-" + c.id());
        lightText.getStyleClass().add(Styles.TEXT_SMALL);

        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(4);
        Label clock = value(c.clockProperty(), "clock-" + c.id());
        clock.setWrapText(true);
        clock.setMinHeight(Region.USE_PREF_SIZE);
        Label queue = new Label();
        queue.setId("queue-" + c.id());
        queue.textProperty().bind(c.queueDepthProperty().asString());
        Label delivered = new Label();
        delivered.setId("delivered-" + c.id());
        delivered.textProperty().bind(c.deliveredProperty().asString());
        Label hash = value(c.hashProperty(), "hash-" + c.id());
        Tooltip hashTip = new Tooltip();
        hashTip.textProperty().bind(Bindings.concat("log hash ", c.hashFullProperty()));
        hash.setTooltip(hashTip);
        Label hashState = new Label();
        hashState.setId("hash-state-" + c.id());
        hashState.textProperty().bind(c.hashTextProperty());
        hashState.getStyleClass().add(Styles.TEXT_SMALL);
        c.hashStateProperty().addListener((o, a, b) -> hashClass(hash, hashState, b));
        hashClass(hash, hashState, c.hashState());
        g.addRow(0, key("Vector clock"), clock);
        g.addRow(1, key("Queue"), queue);
        g.addRow(2, key("Delivered"), delivered);
        HBox hashRow = new HBox(6, hash, hashState);
        hashRow.setAlignment(javafx.geometry.Pos.BASELINE_LEFT);
        g.addRow(3, key("Log hash"), hashRow);

        Label membership = new Label();
        membership.setId("membership-" + c.id());
        membership.textProperty().bind(c.membershipTextProperty());
        membership.visibleProperty().bind(c.membershipTextProperty().isNotEmpty());
        membership.managedProperty().bind(membership.visibleProperty());
        membership.setWrapText(true);
        membership.getStyleClass().add(Styles.TEXT_SMALL);
        Label error = ConsortiumViewKit.errorLine(c.errorProperty());
        error.setId("error-" + c.id());
        Tooltip errTip = new Tooltip();
        errTip.textProperty().bind(c.errorDetailProperty());
        error.setTooltip(errTip);

        VBox box = ConsortiumViewKit.card(null, title, url, lightText, membership, g, error);
        box.setId("bank-card-" + c.id());
        box.setPrefWidth(330);
        box.getStyleClass().add("bank-card");
        c.membershipProperty().addListener((o, a, b) -> membershipClass(box, membership, b));
        membershipClass(box, membership, c.membership());
        return box;
    }

    /** A bank out of the view: its card greyed and its line in the warning colour; behind: the line only. */
    private static void membershipClass(VBox box, Label line, BankCard.Membership m) {
        box.getStyleClass().remove("out-of-view");
        line.getStyleClass().removeAll(Styles.WARNING, Styles.TEXT_MUTED);
        switch (m) {
            case OUT -> {
                box.getStyleClass().add("out-of-view");
                line.getStyleClass().add(Styles.WARNING);
            }
            case BEHIND -> line.getStyleClass().add(Styles.WARNING);
            case RETIRED -> {
                box.getStyleClass().add("out-of-view");
                line.getStyleClass().add(Styles.TEXT_MUTED);
            }
            default -> line.getStyleClass().add(Styles.TEXT_MUTED);
        }
    }

    private static Label key(String s) {
        Label l = new Label(s);
        l.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static Label value(javafx.beans.value.ObservableValue<String> v, String id) {
        Label l = new Label();
        l.textProperty().bind(v);
        l.setId(id);
        l.getStyleClass().add("mono");
        return l;
    }

    private static void lightClass(Circle light, BankCard.Light l) {
        light.getStyleClass().removeAll("online-light", "offline-light", "unknown-light", "suspect-light");
        light.getStyleClass().add(switch (l) {
            case ONLINE -> "online-light";
            case OFFLINE -> "offline-light";
            case SUSPECT -> "suspect-light";
            default -> "unknown-light";
        });
    }

    private static void hashClass(Label hash, Label state, BankCard.HashState s) {
        hash.getStyleClass().removeAll("hash-agree", "hash-differs");
        state.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER, Styles.TEXT_MUTED);
        switch (s) {
            case AGREE -> {
                hash.getStyleClass().add("hash-agree");
                state.getStyleClass().add(Styles.SUCCESS);
            }
            case DIFFERS -> {
                hash.getStyleClass().add("hash-differs");
                state.getStyleClass().add(Styles.DANGER);
            }
            default -> state.getStyleClass().add(Styles.TEXT_MUTED);
        }
    }

    // ------------------------------------------------------------------ the invariant panel

    private static VBox invariant(OverviewViewModel vm) {
        Button audit = new Button("_Audit now", new FontIcon(Feather.CHECK_CIRCLE));
        audit.setId("audit-button");
        audit.setMnemonicParsing(true);
        audit.disableProperty().bind(vm.auditingProperty());
        audit.setOnAction(e -> vm.audit());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(16, 16);
        busy.visibleProperty().bind(vm.auditingProperty());
        Label every = new Label("audits every " + OverviewViewModel.AUDIT_EVERY_MS / 1000 + " s while this page is shown");
        every.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);

        Label total = new Label();
        total.setId("audit-total");
        total.textProperty().bind(vm.totalTextProperty());
        total.getStyleClass().add(Styles.TITLE_2);
        Label invariant = new Label();
        invariant.setId("invariant-text");
        invariant.setWrapText(true);
        invariant.textProperty().bind(vm.invariantTextProperty());
        vm.invariantChangedProperty().addListener((o, a, b) -> invariantStyle(invariant, b));
        invariantStyle(invariant, false);

        FlowPane split = new FlowPane(16, 4);
        split.setId("audit-split");
        vm.shares().addListener((ListChangeListener<OverviewViewModel.Share>) ch -> {
            split.getChildren().clear();
            for (OverviewViewModel.Share s : vm.shares()) {
                Label b = new Label(s.bank());
                b.getStyleClass().addAll(Styles.TEXT_MUTED);
                Label v = ConsortiumViewKit.mono(s.text());
                v.setId("share-" + s.bank());
                split.getChildren().add(new HBox(6, b, v));
            }
        });

        TableView<AuditEntry> table = new TableView<>(vm.audits());
        table.setId("audit-history");
        table.getStyleClass().addAll(Styles.DENSE, Styles.STRIPED);
        table.setPlaceholder(new Label("No audit yet."));
        table.setPrefHeight(200);
        table.setPrefWidth(560);
        table.setMinWidth(420);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("Time", e -> TIME.format(Instant.ofEpochMilli(e.atMs()))));
        table.getColumns().add(column("Position", e -> Long.toString(e.position())));
        table.getColumns().add(column("Total", AuditEntry::totalText));
        table.getColumns().add(column("Change", AuditEntry::changeText));
        vm.audits().addListener((ListChangeListener<AuditEntry>) ch -> {
            if (!vm.audits().isEmpty()) {
                table.scrollTo(vm.audits().size() - 1);
            }
        });

        NumberAxis x = new NumberAxis();
        x.setLabel("position in the total order");
        x.setForceZeroInRange(false);
        NumberAxis y = new NumberAxis();
        y.setLabel("total (R$)");
        y.setForceZeroInRange(false);
        LineChart<Number, Number> chart = new LineChart<>(x, y);
        chart.setId("audit-chart");
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        chart.setPrefHeight(200);
        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        chart.getData().add(series);
        vm.audits().addListener((ListChangeListener<AuditEntry>) ch -> {
            var data = javafx.collections.FXCollections.<XYChart.Data<Number, Number>>observableArrayList();
            for (AuditEntry e : vm.audits()) {
                data.add(new XYChart.Data<>(e.position(), e.total() / 100L));
            }
            series.getData().setAll(data);
        });

        HBox history = new HBox(12, table, chart);
        HBox.setHgrow(table, Priority.ALWAYS);
        HBox.setHgrow(chart, Priority.ALWAYS);

        Label err = ConsortiumViewKit.errorLine(vm.auditErrorProperty());
        err.setId("audit-error");
        Label refused = new Label();
        refused.setId("audit-refused");
        refused.textProperty().bind(vm.auditRefusedProperty());
        refused.visibleProperty().bind(vm.auditRefusedProperty().isNotEmpty());
        refused.managedProperty().bind(refused.visibleProperty());
        refused.setWrapText(true);
        refused.getStyleClass().addAll(Styles.WARNING, Styles.TEXT_BOLD);
        refused.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
        VBox box = ConsortiumViewKit.card("Money invariant",
                ConsortiumViewKit.row(audit, busy, every),
                ConsortiumViewKit.row(new Label("Consortium total"), total), invariant, split, refused, err, history);
        box.setId("invariant-panel");
        return box;
    }

    private static void invariantStyle(Label l, boolean changed) {
        l.getStyleClass().removeAll(Styles.SUCCESS, Styles.WARNING);
        l.getStyleClass().add(changed ? Styles.WARNING : Styles.SUCCESS);
    }

    private static TableColumn<AuditEntry, String> column(String title, java.util.function.Function<AuditEntry, String> f) {
        TableColumn<AuditEntry, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setSortable(false);
        return c;
    }
}
