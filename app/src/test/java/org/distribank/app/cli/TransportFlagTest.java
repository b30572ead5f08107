package org.distribank.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.distribank.consortium.TransportKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --transport} keeps its lower-case values on the command line and becomes a {@link TransportKind}. */
class TransportFlagTest {

    private static ProtocolBenchCommand parse(String... args) {
        CommandLine.ParseResult r = DistribankCli.commandLine().parseArgs(args);
        return (ProtocolBenchCommand) r.subcommand().subcommand().commandSpec().userObject();
    }

    @Test
    void lowerCaseNamesParseToTheEnumAndNoneLeavesTheNodeDefault() {
        assertThat(parse("bench", "protocol", "--transport", "http").transport).isEqualTo(TransportKind.HTTP);
        assertThat(parse("bench", "protocol", "--transport", "websocket").transport)
                .isEqualTo(TransportKind.WEBSOCKET);
        assertThat(parse("bench", "protocol").transport).isNull();
        assertThatThrownBy(() -> parse("bench", "protocol", "--transport", "udp"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("udp");
    }
}
