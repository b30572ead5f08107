package org.distribank.app.ui.consortium;

import atlantafx.base.theme.Styles;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

/** The consortium pages' common look: a title with a short muted explanation, cards, error lines, timers. */
final class ConsortiumViewKit {

    static final PseudoClass DANGER = PseudoClass.getPseudoClass("danger");

    private ConsortiumViewKit() {
    }

    /** The page title with its icon and a muted sentence under it. */
    static VBox header(String title, Ikon icon, String explanation) {
        Label t = new Label(title, new FontIcon(icon));
        t.getStyleClass().addAll("page-title", "consortium-page-title");
        Label e = new Label(explanation);
        e.getStyleClass().addAll(Styles.TEXT_MUTED);
        e.setWrapText(true);
        e.setMinHeight(Region.USE_PREF_SIZE);
        VBox box = new VBox(4, t, e);
        box.setPadding(new Insets(0, 0, 8, 0));
        return box;
    }

    /** A titled card around {@code body}. */
    static VBox card(String title, Node... body) {
        VBox box = new VBox(8);
        if (title != null) {
            Label t = new Label(title);
            t.getStyleClass().add(Styles.TITLE_4);
            box.getChildren().add(t);
        }
        box.getChildren().addAll(body);
        box.getStyleClass().add("card");
        box.setPadding(new Insets(12));
        return box;
    }

    /** A label that shows {@code text} in the danger colour and takes no room while it is empty. */
    static Label errorLine(ObservableValue<String> text) {
        Label l = new Label();
        l.textProperty().bind(text);
        l.getStyleClass().addAll(Styles.DANGER, "error-line");
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.visibleProperty().bind(Bindings.createBooleanBinding(() -> text.getValue() != null
                && !text.getValue().isEmpty(), text));
        l.managedProperty().bind(l.visibleProperty());
        return l;
    }

    /** A muted label bound to {@code text}. */
    static Label muted(ObservableValue<String> text) {
        Label l = new Label();
        l.textProperty().bind(text);
        l.getStyleClass().add(Styles.TEXT_MUTED);
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    static Label mono(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("mono");
        return l;
    }

    static HBox row(Node... nodes) {
        HBox h = new HBox(8, nodes);
        h.setAlignment(Pos.CENTER_LEFT);
        return h;
    }

    static Region grow() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    /**
     * Runs {@code action} every {@code period} while {@code node} is shown (in a scene), and once at
     * each showing: the page's timers stop when another page replaces it.
     */
    static void whileShown(Node node, Duration period, Runnable action) {
        Timeline t = new Timeline(new KeyFrame(period, e -> action.run()));
        t.setCycleCount(Timeline.INDEFINITE);
        node.sceneProperty().addListener((o, was, now) -> {
            if (now != null) {
                action.run();
                t.play();
            } else {
                t.stop();
            }
        });
    }
}
