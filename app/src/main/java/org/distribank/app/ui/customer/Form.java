package org.distribank.app.ui.customer;

import atlantafx.base.theme.Styles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * A validated form of the customer window, built in code: labels with mnemonics that focus their field, each
 * field's error shown under it (and the field marked with AtlantaFX's danger state) once the person has
 * touched it, and Enter submitting. Errors come from the ViewModel; the view only decides when to show them.
 */
final class Form {

    private final List<BooleanProperty> touched = new ArrayList<>();
    private final GridPane grid = new GridPane();
    private int row;

    Form() {
        grid.setHgap(10);
        grid.setVgap(2);
        grid.getStyleClass().add("customer-form");
    }

    GridPane grid() {
        return grid;
    }

    /** Adds a row: a label ({@code _Name}: Alt+N focuses the field), the field, and its error below. */
    <C extends Control> C row(String label, C field, ObservableStringValue error, String errorId) {
        Label l = label(label, field);
        grid.add(l, 0, row);
        grid.add(field, 1, row);
        GridPane.setHgrow(field, Priority.ALWAYS);
        field.setMaxWidth(Double.MAX_VALUE);
        row++;
        Label e = error == null ? new Label() : error(field, error, errorId);
        grid.add(e, 1, row++);
        return field;
    }

    /** A row holding any node (buttons, hints), across both columns. */
    void span(Node n) {
        grid.add(n, 0, row++, 2, 1);
    }

    /** Shows every error of the form (Enter or a click on a disabled submit while something is missing). */
    void touchAll() {
        touched.forEach(t -> t.set(true));
    }

    /** Enter in any field of {@code root} shows what is missing and submits (the ViewModel refuses an invalid form). */
    void submitOnEnter(Node root, Runnable submit) {
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && !(e.getTarget() instanceof javafx.scene.control.ButtonBase)) {
                touchAll();
                submit.run();
                e.consume();
            }
        });
    }

    /**
     * The error label of {@code field}: shown once the field was left or typed into (or the person tried to submit),
     * hidden again when the ViewModel empties the field (a form cleared after success).
     */
    Label error(Control field, ObservableStringValue error, String id) {
        boolean filled = field instanceof TextField tf0 && !tf0.getText().isEmpty();
        BooleanProperty t = new SimpleBooleanProperty(filled); // a form rebuilt with text in it shows its errors
        touched.add(t);
        field.focusedProperty().addListener((o, a, focused) -> {
            if (!focused) {
                t.set(true);
            }
        });
        ObservableValue<?> value = field instanceof TextField tf ? tf.textProperty()
                : field instanceof ComboBox<?> cb ? cb.valueProperty() : null;
        if (value != null) {
            value.addListener((o, a, v) -> t.set(v != null && !(v instanceof String s && s.isEmpty())
                    || field.isFocused() && t.get()));
        }
        BooleanBinding show = Bindings.createBooleanBinding(() -> t.get() && error.get() != null, t, error);
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().addAll("field-error", Styles.TEXT_SMALL, Styles.DANGER);
        l.setWrapText(true);
        l.textProperty().bind(Bindings.createStringBinding(() -> show.get() ? error.get() : "", show, error));
        l.visibleProperty().bind(show);
        l.managedProperty().bind(show);
        field.pseudoClassStateChanged(Styles.STATE_DANGER, show.get());
        show.addListener((o, a, s) -> field.pseudoClassStateChanged(Styles.STATE_DANGER, s));
        return l;
    }

    // ---- building blocks

    static Label label(String text, Node target) {
        Label l = new Label(text);
        l.setMnemonicParsing(true);
        l.setLabelFor(target);
        l.setMinWidth(Label.USE_PREF_SIZE);
        return l;
    }

    static TextField text(String id, StringProperty value, String prompt) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        f.textProperty().bindBidirectional(value);
        return f;
    }

    static PasswordField password(String id, StringProperty value, String prompt) {
        PasswordField f = new PasswordField();
        f.setId(id);
        f.setPromptText(prompt);
        f.textProperty().bindBidirectional(value);
        return f;
    }

    /** A choice box of {@code items} bound both ways to {@code value}, shown with {@code text}. */
    static <T> ComboBox<T> choice(String id, ObservableList<T> items, ObjectProperty<T> value, Function<T, String> text,
                                  String prompt) {
        ComboBox<T> c = new ComboBox<>(items);
        c.setId(id);
        c.setPromptText(prompt);
        c.valueProperty().bindBidirectional(value);
        StringConverter<T> conv = new StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : text.apply(t);
            }

            @Override
            public T fromString(String s) {
                return null;
            }
        };
        c.setConverter(conv);
        c.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(T t, boolean empty) {
                super.updateItem(t, empty);
                setText(empty || t == null ? null : text.apply(t));
            }
        });
        c.setMaxWidth(Double.MAX_VALUE);
        // replacing the items (a refresh) makes a ComboBox drop its value: keep the choice when it is still there
        ObjectProperty<T> last = new SimpleObjectProperty<>(value.get());
        value.addListener((o, a, v) -> {
            if (v != null) {
                last.set(v);
            }
        });
        items.addListener((ListChangeListener<T>) ch -> {
            if (value.get() == null && last.get() != null && items.contains(last.get())) {
                value.set(last.get());
            }
        });
        return c;
    }

    static Button button(String id, String text, Ikon icon) {
        Button b = new Button(text, icon == null ? null : new FontIcon(icon));
        b.setId(id);
        b.setMnemonicParsing(true);
        return b;
    }

    /** The main button of a form: accent, disabled until the form is valid and while it is being sent. */
    static Button submit(String id, String text, Ikon icon, ObservableValue<Boolean> valid,
                         ObservableValue<Boolean> busy) {
        Button b = button(id, text, icon);
        b.getStyleClass().add(Styles.ACCENT);
        b.disableProperty().bind(Bindings.createBooleanBinding(() -> !Boolean.TRUE.equals(valid.getValue())
                || Boolean.TRUE.equals(busy.getValue()), valid, busy));
        return b;
    }

    /** A line of text for what happened (or an error), hidden while empty. */
    static Label message(String id, ObservableValue<String> text, String... styles) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.getStyleClass().addAll(styles);
        l.textProperty().bind(text);
        l.visibleProperty().bind(Bindings.createBooleanBinding(() -> text.getValue() != null
                && !text.getValue().isEmpty(), text));
        l.managedProperty().bind(l.visibleProperty());
        return l;
    }

    /** A titled card (distribank.css {@code .card}). */
    static VBox card(String title, Ikon icon, String text, Node... body) {
        Label h = new Label(title, icon == null ? null : new FontIcon(icon));
        h.getStyleClass().add(Styles.TITLE_4);
        VBox box = new VBox(10, h);
        if (text != null) {
            Label t = new Label(text);
            t.setWrapText(true);
            t.getStyleClass().add(Styles.TEXT_MUTED);
            box.getChildren().add(t);
        }
        box.getChildren().addAll(body);
        box.setPadding(new Insets(16));
        box.getStyleClass().add("card");
        return box;
    }

    static HBox bar(Node... nodes) {
        HBox h = new HBox(8, nodes);
        h.setAlignment(Pos.CENTER_LEFT);
        return h;
    }

    /** A pill of a segmented choice ({@code pill}: AtlantaFX LEFT_PILL, CENTER_PILL or RIGHT_PILL) standing for {@code value}. */
    static ToggleButton toggle(String id, String text, Object value, ToggleGroup group, String pill) {
        ToggleButton t = new ToggleButton(text);
        t.setId(id);
        t.setMnemonicParsing(true);
        t.setUserData(value);
        t.setToggleGroup(group);
        t.getStyleClass().add(pill);
        return t;
    }
}
