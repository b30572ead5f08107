package org.distribank.app.ui.common;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.distribank.app.client.BankApiException;

/** Turns failures into sentences a person understands. */
public final class Errors {

    private Errors() {
    }

    public static String describe(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof BankApiException b) {
            return b.getMessage();
        }
        if (e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException) {
            return e.getMessage();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "Something went wrong (" + e.getClass().getSimpleName() + ")." : m;
    }
}
