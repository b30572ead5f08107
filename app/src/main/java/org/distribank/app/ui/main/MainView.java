package org.distribank.app.ui.main;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.distribank.app.ui.consortium.ConsortiumPages;
import org.distribank.app.ui.customer.CustomerPages;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The main window: a sidebar of pages (AtlantaFX sampler style) and the selected page. */
public final class MainView extends BorderPane {

    private final Map<String, Node> built = new HashMap<>();
    private final StackPane content = new StackPane();
    private final ListView<PageEntry> sidebar = new ListView<>();

    public MainView(MainViewModel vm) {
        getStyleClass().add("main-view");
        List<PageEntry> pages = new ArrayList<>(ConsortiumPages.all(vm));
        pages.addAll(CustomerPages.all(vm));
        sidebar.getItems().setAll(pages);
        sidebar.setId("sidebar");
        sidebar.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE, "sidebar-list");
        sidebar.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(PageEntry p, boolean empty) {
                super.updateItem(p, empty);
                if (empty || p == null) {
                    setText(null);
                    setGraphic(null);
                    setId(null);
                } else {
                    setText(p.title());
                    setGraphic(new FontIcon(p.icon()));
                    setId("page-" + p.id());
                }
            }
        });
        sidebar.getSelectionModel().selectedItemProperty().addListener((o, a, p) -> show(p));

        Label brand = new Label("DistriBank", new FontIcon(Feather.LAYERS));
        brand.getStyleClass().addAll(Styles.TITLE_3, "brand");
        Label sub = new Label(vm.consortiumText());
        sub.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        sub.setWrapText(true);
        VBox side = new VBox(8, brand, sub, sidebar);
        side.setPadding(new Insets(16, 8, 8, 8));
        side.setPrefWidth(230);
        side.getStyleClass().add("sidebar");
        VBox.setVgrow(sidebar, Priority.ALWAYS);
        setLeft(side);

        content.setPadding(new Insets(16));
        content.getStyleClass().add("page-area");
        setCenter(content);
        sidebar.getSelectionModel().selectFirst();
    }

    /** Shows page {@code id} (as a click in the sidebar would). */
    public void select(String id) {
        sidebar.getItems().stream().filter(p -> p.id().equals(id)).findFirst()
                .ifPresent(p -> sidebar.getSelectionModel().select(p));
    }

    private void show(PageEntry p) {
        if (p == null) {
            return;
        }
        Node n = built.computeIfAbsent(p.id(), k -> p.view().get());
        content.getChildren().setAll(n);
    }

    static HBox row(Node... nodes) {
        HBox h = new HBox(8, nodes);
        h.setAlignment(Pos.CENTER_LEFT);
        return h;
    }
}
