package org.distribank.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import javafx.css.CssParser;
import javafx.css.Stylesheet;
import org.junit.jupiter.api.Test;

/** The app's stylesheet (assets/styles/distribank.css) parses without a single error: JavaFX only warns and drops rules. */
class StylesheetTest {

    @Test
    void theStylesheetParsesCleanly() throws Exception {
        URL css = getClass().getResource("/org/distribank/assets/styles/distribank.css");
        assertThat(css).as("on the class path").isNotNull();
        CssParser.errorsProperty().clear();
        Stylesheet sheet = new CssParser().parse(css);
        assertThat(CssParser.errorsProperty()).extracting(Object::toString).isEmpty();
        assertThat(sheet.getRules()).hasSizeGreaterThan(30);
    }
}
