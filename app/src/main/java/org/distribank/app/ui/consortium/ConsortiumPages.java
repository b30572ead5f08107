package org.distribank.app.ui.consortium;

import java.util.List;
import javafx.scene.control.Label;
import org.distribank.app.ui.main.MainViewModel;
import org.distribank.app.ui.main.PageEntry;
import org.kordamp.ikonli.feather.Feather;

/** The consortium side's pages, in sidebar order. */
public final class ConsortiumPages {

    private ConsortiumPages() {
    }

    public static List<PageEntry> all(MainViewModel main) {
        return List.of(new PageEntry("overview", "Consortium", Feather.GRID,
                () -> new Label(main.connection().banks().size() + " banks")));
    }
}
