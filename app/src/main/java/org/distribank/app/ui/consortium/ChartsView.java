package org.distribank.app.ui.consortium;

import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;

/** Live throughput and latency over the last minute, updated once a second. */
public final class ChartsView extends BorderPane {

    public ChartsView(ChartsViewModel vm) {
        setId("charts-page");
        setTop(ConsortiumViewKit.header("Charts", Feather.ACTIVITY, "Operations decided per second in the whole "
                + "consortium (each counted once) and their latency, from the origin's multicast to the outcome at "
                + "the origin, over the last " + ChartsViewModel.WINDOW_SECONDS + " seconds. Start the load "
                + "generator to see them move."));

        LineChart<Number, Number> throughput = chart("operations per second", "throughput-chart");
        throughput.getData().add(series("committed", vm.committed()));
        throughput.getData().add(series("aborted", vm.aborted()));
        Label tText = ConsortiumViewKit.muted(vm.throughputTextProperty());
        tText.setId("throughput-text");

        LineChart<Number, Number> latency = chart("latency (ms)", "latency-chart");
        latency.getData().add(series("p50", vm.p50()));
        latency.getData().add(series("p99", vm.p99()));
        Label lText = ConsortiumViewKit.muted(vm.latencyTextProperty());
        lText.setId("latency-text");

        VBox t = ConsortiumViewKit.card("Throughput", tText, throughput);
        VBox l = ConsortiumViewKit.card("Latency", lText, latency);
        VBox.setVgrow(throughput, Priority.ALWAYS);
        VBox.setVgrow(latency, Priority.ALWAYS);
        VBox.setVgrow(t, Priority.ALWAYS);
        VBox.setVgrow(l, Priority.ALWAYS);
        setCenter(new VBox(12, t, l));
        ConsortiumViewKit.whileShown(this, Duration.seconds(1), () -> vm.tick(System.currentTimeMillis()));
    }

    private static LineChart<Number, Number> chart(String yLabel, String id) {
        NumberAxis x = new NumberAxis(-ChartsViewModel.WINDOW_SECONDS, 0, 10);
        x.setAutoRanging(false);
        x.setLabel("seconds ago");
        NumberAxis y = new NumberAxis();
        y.setLabel(yLabel);
        y.setForceZeroInRange(true);
        LineChart<Number, Number> c = new LineChart<>(x, y);
        c.setId(id);
        c.setAnimated(false);
        c.setCreateSymbols(false);
        c.setMinHeight(180);
        return c;
    }

    /** A chart series that mirrors a ViewModel's list of points. */
    private static XYChart.Series<Number, Number> series(String name, ObservableList<ChartsViewModel.Point> points) {
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        s.setName(name);
        Runnable copy = () -> {
            ObservableList<XYChart.Data<Number, Number>> d = FXCollections.observableArrayList();
            for (ChartsViewModel.Point p : points) {
                d.add(new XYChart.Data<>(p.x(), p.y()));
            }
            s.getData().setAll(d);
        };
        points.addListener((ListChangeListener<ChartsViewModel.Point>) ch -> copy.run());
        copy.run();
        return s;
    }
}
