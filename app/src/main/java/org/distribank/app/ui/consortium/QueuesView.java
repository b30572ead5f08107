package org.distribank.app.ui.consortium;

import atlantafx.base.theme.Styles;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** Each bank's hold-back queue as a live table, a tab per bank. */
public final class QueuesView extends BorderPane {

    public QueuesView(QueuesViewModel vm) {
        setId("queues-page");
        setTop(ConsortiumViewKit.header("Queues", Feather.INBOX, "Each bank's hold-back queue, in order-key order "
                + "(sum of the vector clock, then origin). An operation is delivered at the head once every bank "
                + "has acknowledged it; delivered, it waits for the votes of the banks it touches."));
        TabPane tabs = new TabPane();
        tabs.setId("queue-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getStyleClass().add(Styles.TABS_FLOATING);
        for (QueuesViewModel.BankQueue q : vm.banks()) {
            Tab t = new Tab();
            t.setId("queue-tab-" + q.id());
            t.textProperty().bind(Bindings.createStringBinding(() -> q.name() + " (" + q.id() + ")  "
                    + q.rows().size(), q.rows()));
            FontIcon icon = new FontIcon(Feather.SERVER);
            q.reachableProperty().addListener((o, a, b) -> icon.setIconCode(b ? Feather.SERVER : Feather.WIFI_OFF));
            t.setGraphic(icon);
            t.setContent(table(q));
            tabs.getTabs().add(t);
        }
        setCenter(tabs);
    }

    private static VBox table(QueuesViewModel.BankQueue q) {
        TableView<QueuesViewModel.Row> table = new TableView<>(q.rows());
        table.setId("queue-table-" + q.id());
        table.getStyleClass().addAll(Styles.DENSE, Styles.STRIPED);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        Label empty = new Label();
        empty.textProperty().bind(Bindings.when(q.reachableProperty()).then("The queue is empty.")
                .otherwise("No view of this bank's queue."));
        table.setPlaceholder(empty);
        table.getColumns().add(col("Transaction", QueuesViewModel.Row::id, true, null));
        table.getColumns().add(col("Origin", QueuesViewModel.Row::origin, false, null));
        table.getColumns().add(col("Vector clock", QueuesViewModel.Row::clock, true, null));
        table.getColumns().add(col("Order key", QueuesViewModel.Row::orderKey, true, null));
        table.getColumns().add(col("ACKs", r -> r.acks() + "  " + r.ackNames(), false, null));
        table.getColumns().add(col("State", QueuesViewModel.Row::state, false, QueuesViewModel.Row::explanation));
        table.getColumns().add(col("Waiting for", QueuesViewModel.Row::explanation, false, null));
        // room where the text is long (ids, clocks, what it waits for); a narrow window scrolls sideways
        double[] widths = {270, 60, 300, 110, 150, 90, 260};
        for (int i = 0; i < widths.length; i++) {
            table.getColumns().get(i).setPrefWidth(widths[i]);
        }
        Label summary = ConsortiumViewKit.muted(q.summaryProperty());
        summary.setId("queue-summary-" + q.id());
        VBox box = new VBox(8, summary, table);
        VBox.setVgrow(table, javafx.scene.layout.Priority.ALWAYS);
        box.setPadding(new Insets(8, 0, 0, 0));
        return box;
    }

    private static TableColumn<QueuesViewModel.Row, String> col(String title, Function<QueuesViewModel.Row, String> f,
                                                                boolean mono,
                                                                Function<QueuesViewModel.Row, String> tip) {
        TableColumn<QueuesViewModel.Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setSortable(false);
        c.setCellFactory(x -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                QueuesViewModel.Row row = empty ? null : getTableRow() == null ? null : getTableRow().getItem();
                setText(empty ? null : item);
                setTooltip(tip == null || row == null ? null : new Tooltip(tip.apply(row)));
                getStyleClass().removeAll("mono", "status-pending", "status-committed");
                if (!empty && mono) {
                    getStyleClass().add("mono");
                }
                if (!empty && tip != null) {
                    getStyleClass().add(QueuesViewModel.DELIVERED.equals(item) ? "status-committed" : "status-pending");
                }
            }
        });
        return c;
    }
}
