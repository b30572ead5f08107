package org.distribank.app.ui.main;

import java.util.function.Supplier;
import javafx.scene.Node;
import org.kordamp.ikonli.Ikon;

/** A page of the main window's sidebar: its title, icon, and the view, built the first time it is shown. */
public record PageEntry(String id, String title, Ikon icon, Supplier<Node> view) {
}
