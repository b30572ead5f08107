package org.distribank.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} is what an operator reads first: it renders without picocli's format warnings
 * (a bare {@code %} in a description printed "[picocli WARN] Could not format ..." three times above the usage of
 * {@code bench soak}) and says what each option is for.
 */
class HelpTextTest {

    @Test
    void everyCommandsHelpRendersWithoutFormatWarnings() {
        List<CommandLine> all = new ArrayList<>();
        collect(DistribankCli.commandLine(), all);
        assertThat(all).hasSizeGreaterThan(5);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            // picocli writes its tracer's warnings to System.err while it formats descriptions
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (CommandLine c : all) {
                String usage = c.getUsageMessage(CommandLine.Help.Ansi.OFF);
                assertThat(usage).as(c.getCommandName()).contains("Usage:").doesNotContain("%n");
                for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
                    assertThat(String.join(" ", o.description())).as("%s %s", c.getCommandName(), o.longestName())
                            .isNotBlank();
                }
            }
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    private static void collect(CommandLine c, List<CommandLine> into) {
        into.add(c);
        c.getSubcommands().values().forEach(s -> collect(s, into));
    }
}
