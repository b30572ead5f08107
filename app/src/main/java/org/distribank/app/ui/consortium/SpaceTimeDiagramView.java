package org.distribank.app.ui.consortium;

import java.util.List;
import java.util.function.IntConsumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Orientation;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Draws a {@link SpaceTime.Diagram}: a horizontal lifeline per bank, time to the right (on a time axis with its
 * times along the bottom, or one column per event), a dot per
 * event (coloured by type), an arrow per message, a dashed line across the lanes labelled "epoch E" at each view
 * change (on the time axis: each epoch a shaded band from its install), and the lanes of banks out of the current view faint and dashed. One canvas the size of the view,
 * scrolled with a scroll bar, so it stays fast whatever the number of events; it keeps to the newest events while
 * {@link #followLatestProperty()} is set.
 */
public final class SpaceTimeDiagramView extends Region {

    static final double LABEL_WIDTH = 64;
    static final double COLUMN = 16;
    static final double MARGIN = 14;
    private static final double SCROLL_HEIGHT = 14;

    /** The colour of a view change: its dots and the mark across the lanes. */
    static final Color VIEW_COLOR = Color.web("#0891b2");

    private final Canvas canvas = new Canvas();
    /** The view changes' labels ("epoch 3"), as nodes over the canvas so they read as text (and tests find them). */
    private final Pane viewLabels = new Pane();
    private final ScrollBar scroll = new ScrollBar();
    private final BooleanProperty followLatest = new SimpleBooleanProperty(true);
    private SpaceTime.Diagram diagram = SpaceTime.Diagram.EMPTY;
    private IntConsumer onPick = i -> { };
    private int selected = -1;

    public SpaceTimeDiagramView() {
        getStyleClass().add("space-time");
        scroll.setOrientation(Orientation.HORIZONTAL);
        scroll.valueProperty().addListener((o, a, b) -> {
            followLatest.set(b.doubleValue() >= scroll.getMax() - 1);
            draw();
        });
        viewLabels.setMouseTransparent(true);
        viewLabels.setId("view-marks");
        getChildren().addAll(canvas, viewLabels, scroll);
        canvas.setOnMouseClicked(e -> onPick.accept(pick(e.getX(), e.getY())));
        canvas.setOnScroll(e -> {
            double d = e.getDeltaX() != 0 ? e.getDeltaX() : e.getDeltaY();
            scroll.setValue(Math.max(0, Math.min(scroll.getMax(), scroll.getValue() - d)));
        });
        setMinHeight(160);
        setPrefHeight(360);
    }

    /** True: scrolled to the newest events, and kept there as new ones come. */
    public BooleanProperty followLatestProperty() {
        return followLatest;
    }

    /** Called with the index of the dot clicked, or -1; the owner then {@link #select(int) selects} it. */
    public void setOnPick(IntConsumer c) {
        onPick = c;
    }

    /** Shows {@code d}; the selection is cleared (the owner selects again, see {@link #select(int)}). */
    public void setDiagram(SpaceTime.Diagram d) {
        diagram = d;
        selected = -1;
        updateScroll();
        draw();
    }

    /** The diagram shown. */
    public SpaceTime.Diagram diagram() {
        return diagram;
    }

    /** Scrolls so the first highlighted event is in view (when one is shown). */
    public void showFirstHighlighted() {
        diagram.dots().stream().filter(SpaceTime.Dot::highlighted).findFirst().ifPresent(d -> {
            double target = Math.max(0, Math.min(scroll.getMax(), diagram.position(d.column()) * COLUMN - COLUMN * 4));
            scroll.setValue(target);
        });
    }

    /** Rings dot {@code index} (-1: none). */
    public void select(int index) {
        selected = index;
        draw();
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        canvas.setWidth(Math.max(0, w));
        canvas.setHeight(Math.max(0, h - SCROLL_HEIGHT));
        viewLabels.resizeRelocate(0, 0, Math.max(0, w), Math.max(0, h - SCROLL_HEIGHT));
        viewLabels.setClip(new Rectangle(Math.max(0, w), Math.max(0, h - SCROLL_HEIGHT))); // a label at the edge
        scroll.resizeRelocate(0, h - SCROLL_HEIGHT, w, SCROLL_HEIGHT);
        updateScroll();
        draw();
    }

    private double contentWidth() {
        return LABEL_WIDTH + 2 * MARGIN + Math.max(0, diagram.length()) * COLUMN;
    }

    private void updateScroll() {
        double max = Math.max(0, contentWidth() - getWidth());
        boolean follow = followLatest.get();
        scroll.setMax(max);
        scroll.setVisibleAmount(Math.max(1, getWidth()));
        if (follow || scroll.getValue() > max) {
            scroll.setValue(max);
        }
        followLatest.set(follow);
    }

    /** The x of position {@code p} (in columns, see {@link SpaceTime.Diagram#position}). */
    private double x(double p) {
        return LABEL_WIDTH + MARGIN + p * COLUMN - scroll.getValue();
    }

    /** The x of dot {@code i}. */
    private double dotX(int i) {
        return x(diagram.position(i));
    }

    private double laneHeight() {
        return Math.max(24, (canvas.getHeight() - 2 * MARGIN) / Math.max(1, diagram.lanes().size()));
    }

    private double y(int lane) {
        return MARGIN + laneHeight() * (lane + 0.5);
    }

    private int pick(double px, double py) {
        List<SpaceTime.Dot> dots = diagram.dots();
        int best = -1;
        double bestD = 10 * 10;
        for (int i = 0; i < dots.size(); i++) {
            SpaceTime.Dot d = dots.get(i);
            double dx = dotX(i) - px;
            double dy = y(d.lane()) - py;
            double dd = dx * dx + dy * dy;
            if (dd < bestD) {
                bestD = dd;
                best = i;
            }
        }
        return best;
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        List<String> lanes = diagram.lanes();
        boolean following = diagram.dots().stream().anyMatch(SpaceTime.Dot::highlighted);
        g.setFont(Font.font(12));
        // lifelines; a bank out of the current view: faint and dashed
        g.setLineWidth(1);
        for (int i = 0; i < lanes.size(); i++) {
            boolean out = diagram.dimmed(i);
            g.setStroke(out ? Color.gray(0.55, 0.3) : Color.gray(0.55, 0.7));
            g.setLineDashes(out ? new double[] {4, 5} : null);
            g.strokeLine(LABEL_WIDTH, y(i), w, y(i));
        }
        g.setLineDashes(null);
        List<SpaceTime.ViewMark> marks = diagram.views();
        if (diagram.timeAxis()) {
            // each epoch a band from its first install to the next one's, shades alternating
            for (int k = 0; k < marks.size(); k++) {
                double from = Math.max(LABEL_WIDTH, markX(marks.get(k)));
                double to = k + 1 < marks.size() ? Math.min(w, markX(marks.get(k + 1))) : w;
                if (to > from) {
                    g.setFill(VIEW_COLOR.deriveColor(0, 1, 1, k % 2 == 0 ? 0.10 : 0.05));
                    g.fillRect(from, 0, to - from, h);
                }
            }
            drawTimes(g, w, h);
        }
        // view changes: a dashed line across every lane, just before the first bank's VIEW event of the epoch
        g.setStroke(VIEW_COLOR);
        g.setLineWidth(1.5);
        g.setLineDashes(6, 4);
        for (SpaceTime.ViewMark m : marks) {
            double vx = markX(m);
            if (vx >= LABEL_WIDTH && vx <= w) {
                g.strokeLine(vx, MARGIN, vx, h - 2);
            }
        }
        g.setLineDashes(null);
        // arrows
        List<SpaceTime.Dot> dots = diagram.dots();
        double left = LABEL_WIDTH - COLUMN;
        for (SpaceTime.Arrow a : diagram.arrows()) {
            SpaceTime.Dot from = dots.get(a.from());
            SpaceTime.Dot to = dots.get(a.to());
            double x1 = dotX(a.from());
            double x2 = dotX(a.to());
            if (x2 < left || x1 > w + COLUMN) {
                continue;
            }
            Color c = arrowColor(a.kind());
            double alpha = following && !a.highlighted() ? 0.15 : "ACK".equals(a.kind()) ? 0.45 : 0.8;
            g.setStroke(a.highlighted() ? Color.web("#d946ef") : c.deriveColor(0, 1, 1, alpha));
            g.setLineWidth(a.highlighted() ? 2.2 : 1);
            arrow(g, x1, y(from.lane()), x2, y(to.lane()));
        }
        // dots
        for (int i = 0; i < dots.size(); i++) {
            SpaceTime.Dot d = dots.get(i);
            double cx = dotX(i);
            if (cx < left || cx > w + COLUMN) {
                continue;
            }
            double cy = y(d.lane());
            double r = d.highlighted() ? 5.5 : 4;
            Color c = dotColor(d.type());
            g.setFill((following && !d.highlighted()) || diagram.dimmed(d.lane()) ? c.deriveColor(0, 1, 1, 0.25) : c);
            g.fillOval(cx - r, cy - r, 2 * r, 2 * r);
            if (d.highlighted() || i == selected) {
                g.setStroke(i == selected ? Color.web("#f97316") : Color.web("#d946ef"));
                g.setLineWidth(2);
                g.strokeOval(cx - r - 2.5, cy - r - 2.5, 2 * r + 5, 2 * r + 5);
            }
        }
        // lane labels over everything, on a plain band
        g.clearRect(0, 0, LABEL_WIDTH, h);
        g.setFill(Color.gray(0.5));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.setFont(Font.font(null, javafx.scene.text.FontWeight.BOLD, 13));
        for (int i = 0; i < lanes.size(); i++) {
            boolean out = diagram.dimmed(i);
            g.setFill(out ? Color.gray(0.5, 0.45) : Color.gray(0.5));
            g.fillText(lanes.get(i), 8, y(i) - (out ? 6 : 0));
            if (out) {
                g.setFont(Font.font(10));
                g.fillText("out", 8, y(i) + 8);
                g.setFont(Font.font(null, javafx.scene.text.FontWeight.BOLD, 13));
            }
        }
        placeViewLabels(w);
        if (dots.isEmpty()) {
            g.setFont(Font.font(13));
            g.fillText("No protocol event yet: make a transfer, or start the load generator.", LABEL_WIDTH + 12,
                    Math.max(20, h / 2));
        }
    }

    /** One label per view change in sight, at the top of its line; reused from draw to draw. */
    private void placeViewLabels(double w) {
        List<SpaceTime.ViewMark> marks = diagram.views();
        var labels = viewLabels.getChildren();
        int shown = 0;
        for (SpaceTime.ViewMark m : marks) {
            double vx = markX(m);
            if (vx < LABEL_WIDTH || vx > w) {
                continue;
            }
            Label l;
            if (shown < labels.size()) {
                l = (Label) labels.get(shown);
            } else {
                l = new Label();
                l.getStyleClass().add("view-mark-label");
                l.setTextFill(VIEW_COLOR);
                l.setFont(Font.font(null, javafx.scene.text.FontWeight.BOLD, 11));
                labels.add(l);
            }
            l.setText(m.label());
            l.setId("view-mark-" + m.epoch());
            l.setAccessibleText(m.detail());
            l.setVisible(true);
            l.relocate(vx + 3, 0);
            shown++;
        }
        for (int i = shown; i < labels.size(); i++) {
            labels.get(i).setVisible(false);
            labels.get(i).setId(null);
        }
    }

    /** Where a view change is drawn: just before its first VIEW event (on the time axis: at its time). */
    private double markX(SpaceTime.ViewMark m) {
        return dotX(m.column()) - (diagram.timeAxis() ? 0 : COLUMN / 2);
    }

    /** The time axis' times along the bottom, about every 140 pixels. */
    private void drawTimes(GraphicsContext g, double w, double h) {
        if (diagram.dots().size() < 2) {
            return;
        }
        g.setFill(Color.gray(0.45));
        g.setFont(Font.font(10));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.BOTTOM);
        for (double px = LABEL_WIDTH + MARGIN; px < w - 60; px += 140) {
            double p = (px - LABEL_WIDTH - MARGIN + scroll.getValue()) / COLUMN;
            g.fillText(SpaceTime.time(diagram.timeAt(p)), px + 2, h - 1);
            g.fillRect(px, h - 12, 1, 12);
        }
    }

    private static void arrow(GraphicsContext g, double x1, double y1, double x2, double y2) {
        g.strokeLine(x1, y1, x2, y2);
        double angle = Math.atan2(y2 - y1, x2 - x1);
        double len = 7;
        double tipX = x2 - 4 * Math.cos(angle);
        double tipY = y2 - 4 * Math.sin(angle);
        g.strokeLine(tipX, tipY, tipX - len * Math.cos(angle - 0.4), tipY - len * Math.sin(angle - 0.4));
        g.strokeLine(tipX, tipY, tipX - len * Math.cos(angle + 0.4), tipY - len * Math.sin(angle + 0.4));
    }

    static Color dotColor(String type) {
        return switch (type) {
            case "SEND" -> Color.web("#2563eb");
            case "ACK" -> Color.web("#6b7280");
            case "RECEIVE" -> Color.web("#38bdf8");
            case "DELIVER" -> Color.web("#7c3aed");
            case "VOTE" -> Color.web("#f59e0b");
            case "COMMIT" -> Color.web("#16a34a");
            case "ABORT" -> Color.web("#dc2626");
            case "PEER_UP" -> Color.web("#0d9488");
            case "PEER_DOWN" -> Color.web("#be123c");
            case "VIEW" -> VIEW_COLOR;
            default -> Color.GRAY;
        };
    }

    static Color arrowColor(String kind) {
        return switch (kind == null ? "" : kind) {
            case "OP" -> Color.web("#2563eb");
            case "VOTE" -> Color.web("#f59e0b");
            default -> Color.web("#6b7280");
        };
    }
}
