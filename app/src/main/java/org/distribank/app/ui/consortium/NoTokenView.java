package org.distribank.app.ui.consortium;

import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

/** Shown instead of the consortium pages when the app has no operator token. */
public final class NoTokenView extends VBox {

    public NoTokenView() {
        setId("no-token-page");
        getChildren().add(ConsortiumViewKit.header("Consortium", Feather.LOCK, "The consortium views (queues, "
                + "messages, audits, faults) use each bank's operator API, which needs the operator token. Connect "
                + "again from the start screen with the token the launcher printed (\"operatorToken\" in its JSON "
                + "line). The customer pages work without it."));
    }
}
