package org.distribank.app.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import atlantafx.base.theme.PrimerLight;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.CustomerClient;
import org.distribank.app.client.HolderForm;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.service.ConsortiumConnection;
import org.distribank.app.service.LoadGenerator;
import org.distribank.app.service.RecentConsortiums;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.app.ui.main.MainView;
import org.distribank.app.ui.main.MainViewModel;
import org.distribank.app.ui.main.PageEntry;
import org.distribank.app.ui.start.StartView;
import org.distribank.app.ui.start.StartViewModel;

/**
 * Takes the README's screenshots from the real window (run by {@code scripts/screenshots.sh} under
 * Xvfb): the start screen, then every sidebar page of a live 4-bank consortium with some customers
 * and a short load running. Not a test; a tool kept with the tests because it uses their kit.
 */
public final class ScreenshotTour {

    private static Path out;
    private static Path data;

    public static void main(String[] args) {
        out = Path.of(args.length > 0 ? args[0] : "docs/screenshots");
        data = Path.of(args.length > 1 ? args[1] : "target/screenshot-data");
        Application.launch(Window.class); // a main class that is an Application needs JavaFX as modules
    }

    /** The real window. */
    public static final class Window extends Application {
        @Override
        public void start(Stage stage) {
            new ScreenshotTour().begin(stage);
        }
    }

    private void begin(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        CompletableFuture<ConsortiumConnection> launched = new CompletableFuture<>();
        StartViewModel start = new StartViewModel(UiTasks.fx(), new RecentConsortiums(data.resolve("recent.json")),
                DesktopTestKit.QUICK, launched::complete);
        Scene scene = new Scene(new StartView(start), 1280, 800);
        scene.getStylesheets().add(getClass().getResource("/org/distribank/assets/styles/distribank.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle("DistriBank");
        stage.show();
        Thread t = new Thread(() -> tour(stage, start, launched), "tour");
        t.setDaemon(true);
        t.start();
    }

    private void tour(Stage stage, StartViewModel start, CompletableFuture<ConsortiumConnection> launched) {
        MainViewModel[] main = new MainViewModel[1];
        try {
            Files.createDirectories(out);
            settle(800);
            shoot(stage, "start");
            onFx(() -> {
                start.dataDirProperty().set(data.resolve("consortium").toString());
                start.launch();
                return null;
            });
            ConsortiumConnection c = launched.get(120, TimeUnit.SECONDS);
            MainView view = onFx(() -> {
                main[0] = new MainViewModel(c, UiTasks.fx());
                MainView v = new MainView(main[0]);
                stage.getScene().setRoot(v);
                stage.setTitle("DistriBank");
                main[0].start();
                return v;
            });
            activity(c);
            LoadGenerator load = new LoadGenerator(c, new LoadGenerator.Settings(8, 60, 20), p -> { });
            load.start();
            settle(6_000);
            @SuppressWarnings("unchecked")
            List<PageEntry> pages = onFx(() -> List.copyOf(((ListView<PageEntry>) stage.getScene().lookup("#sidebar"))
                    .getItems()));
            for (PageEntry p : pages) {
                if (p.id().equals("scenarios")) {
                    continue; // after the load: a scenario wants a quiet consortium
                }
                boolean queues = p.id().equals("queues");
                if (queues) {
                    slowBank(c, "b3", "SLOW", 2_000); // operations pile up in the queues while b3's ACKs crawl
                }
                onFx(() -> {
                    view.select(p.id());
                    return null;
                });
                settle(2_500);
                shoot(stage, p.id());
                if (queues) {
                    slowBank(c, "b3", "UP", 0);
                }
            }
            load.stop();
            load.join(30_000);
            history(stage, view, c);
            scenario(stage, view);
            customerWindow(view, c);
        } catch (Exception e) {
            e.printStackTrace(); // a tool's report on its console
        } finally {
            if (main[0] != null) {
                main[0].close();
            }
            Platform.exit();
        }
    }

    /** Maria's window at b1, signed in, after a two-leg transfer from her accounts at b1 and b2 into Joao's at b4. */
    private static void customerWindow(MainView view, ConsortiumConnection c) throws Exception {
        onFx(() -> {
            view.select("customers");
            return null;
        });
        settle(500);
        org.distribank.app.ui.customer.CustomersView page = onFx(() ->
                (org.distribank.app.ui.customer.CustomersView) view.getScene().lookup(".customers-page"));
        org.distribank.app.ui.customer.CustomerViewModel w = onFx(() -> {
            page.viewModel().bankProperty().set(c.bank("b1"));
            return page.viewModel().openWindow();
        });
        onFx(() -> {
            w.signIn().usernameProperty().set("maria");
            w.signIn().passwordProperty().set("maria-password");
            w.signIn().signIn();
            return null;
        });
        settle(3_000);
        onFx(() -> {
            w.show(org.distribank.app.ui.customer.CustomerState.Section.TRANSFER);
            var t = w.transfer();
            var first = t.legs().get(0);
            first.fromProperty().set(w.state().myAccounts().get(0));
            first.toBankProperty().set(c.bank("b4"));
            first.toAccountProperty().set("1001");
            first.amountProperty().set("120,00");
            var second = t.addLeg();
            second.fromProperty().set(w.state().myAccounts().get(w.state().myAccounts().size() - 1));
            second.toBankProperty().set(c.bank("b4"));
            second.toAccountProperty().set("1001");
            second.amountProperty().set("80,50");
            t.submit();
            return null;
        });
        settle(3_000);
        Stage s = onFx(() -> page.stageOf(w));
        shoot(s, "customer-window");
    }

    /**
     * The Messages page scrubbed back into b4's outage: b4 killed (voted out, a view band), restarted (voted back
     * in), then the cursor dragged to a moment b4 was down.
     */
    private static void history(Stage stage, MainView view, ConsortiumConnection c) throws Exception {
        onFx(() -> {
            view.select("messages");
            return null;
        });
        LoadGenerator load = new LoadGenerator(c, new LoadGenerator.Settings(4, 10, 40), p -> { });
        load.start(); // b1 to b3 keep paying while b4 is down
        settle(3_000);
        long killed = System.currentTimeMillis();
        c.killBank("b4");
        settle(8_000); // detection and the view change without b4
        c.restartBank("b4");
        settle(10_000); // b4 catches up and is voted back in
        load.stop();
        load.join(30_000);
        onFx(() -> {
            Slider slider = (Slider) stage.getScene().lookup("#history-slider");
            slider.setValueChanging(true); // as a drag does
            slider.setValue(killed + 7_000);
            slider.setValueChanging(false);
            return null;
        });
        settle(1_500);
        shoot(stage, "messages-history");
    }

    /** The Scenarios page stepped into its second scenario (a NO vote): a step explained, the diagram frozen. */
    private static void scenario(Stage stage, MainView view) throws Exception {
        onFx(() -> {
            view.select("scenarios");
            return null;
        });
        settle(1_500);
        onFx(() -> {
            @SuppressWarnings("unchecked")
            ListView<Object> list = (ListView<Object>) stage.getScene().lookup("#scenario-list");
            list.getSelectionModel().select(1);
            return null;
        });
        settle(1_000);
        for (int i = 0; i < 3; i++) {
            onFx(() -> {
                ((Button) stage.getScene().lookup("#scenario-step")).fire();
                return null;
            });
            settle(5_000);
        }
        shoot(stage, "scenarios");
    }

    /** Sets every link to and from {@code bank} to {@code state}. */
    private static void slowBank(ConsortiumConnection c, String bank, String state, long delayMs) {
        for (var b : c.banks()) {
            if (!b.id().equals(bank)) {
                c.operator(bank).orElseThrow().setLink(b.id(), state, delayMs);
                c.operator(b.id()).orElseThrow().setLink(bank, state, delayMs);
            }
        }
    }

    /** Two customers with accounts at three banks and a multi-leg transfer, so the pages have content. */
    private static void activity(ConsortiumConnection c) {
        CustomerClient b1 = c.customer("b1");
        CustomerClient b2 = c.customer("b2");
        CustomerClient b4 = c.customer("b4");
        String cpf = "529.982.247-25";
        var a1 = b1.openPersonal(new HolderForm("Maria Souza", cpf, "maria", "maria-password", null, null));
        var a2 = b2.openPersonal(new HolderForm("Maria Souza", cpf, "maria2", "maria-password", null, null));
        var a4 = b4.openPersonal(new HolderForm("Joao Lima", "111.444.777-35", "joao", "joao-password", null, null));
        b1.signIn("maria", "maria-password");
        b2.signIn("maria2", "maria-password");
        b1.deposit(null, a1.account(), 150_000);
        b2.deposit(null, a2.account(), 80_000);
        // b1 debits Maria's b2 account only with b2's consent, linked at b1 (API.md v1.1)
        b1.linkAccount(b2.createConsent(a2.account(), "b1", 100_000, null, true).token());
        b1.transfer(null, List.of(TransferLeg.toAccount(new AccountRef("b1", a1.account()), a4.ref(), 25_000),
                TransferLeg.toAccount(new AccountRef("b2", a2.account()), a4.ref(), 12_500)));
    }

    private static void settle(long ms) throws InterruptedException {
        Thread.sleep(ms); // a screenshot tool lets the live pages fill up; not a test
    }

    private static <T> T onFx(Supplier<T> s) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(s.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    private static void shoot(Stage stage, String name) throws Exception {
        WritableImage img = onFx(() -> stage.getScene().snapshot(null));
        write(img, out.resolve(name + ".png"));
    }

    private static void write(WritableImage img, Path file) throws IOException {
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        PixelReader r = img.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b.setRGB(x, y, r.getArgb(x, y));
            }
        }
        ImageIO.write(b, "png", file.toFile());
    }
}
