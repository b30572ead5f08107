package org.distribank.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.distribank.common.tls.Pki;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./distribank pki init|issue}: the consortium's own CA and a certificate per bank and per data server
 * (docs/DEPLOYMENT.md, "Mutual TLS"). Prints what it wrote, never a key.
 */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = "The consortium's certificate authority: init makes it, issue signs a bank's or a data server's"
                + " certificate.",
        subcommands = {PkiCommand.Init.class, PkiCommand.Issue.class})
public final class PkiCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return DistribankCli.USAGE_ERROR;
    }

    /** A refusal (a file exists, a bad name, no CA yet) is one line for the operator, not a stack trace. */
    static int failed(Exception e) {
        System.err.println("pki: " + e.getMessage());
        return 1;
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Make the consortium CA in DIR: ca.key (0600; keep it offline once the certificates are"
                    + " issued) and ca.crt (give it to every bank and data server).")
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "The PKI directory (created 0700 if missing).")
        Path dir;

        @Option(names = "--name", defaultValue = "DistriBank-Consortium-CA",
                description = "The CA's common name (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() throws Exception {
            Pki.Issued ca;
            try {
                ca = Pki.init(dir, name);
            } catch (IOException | IllegalArgumentException e) {
                return failed(e);
            }
            System.out.println("CA \"" + name + "\": " + ca.certificate() + " (certificate), " + ca.key()
                    + " (private key, 0600), valid until " + ca.x509().getNotAfter().toInstant());
            return 0;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue NAME.crt and NAME.key (0600) in DIR, signed by its CA: for a bank, NAME is its id"
                    + " (its peers check it); the certificate serves TLS and authenticates its holder as a client.")
    static final class Issue implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "The PKI directory made by `pki init`.")
        Path dir;

        @Option(names = "--name", required = true, description = "The bank id (b1, ...) or the data server's name.")
        String name;

        @Option(names = "--dns", split = ",", description = "Host names the server is reached at (repeatable).")
        List<String> dns = new ArrayList<>();

        @Option(names = "--ip", split = ",", description = "IP addresses the server is reached at (repeatable)."
                + " With neither --dns nor --ip: localhost and 127.0.0.1.")
        List<String> ip = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Pki.Issued c;
            try {
                c = Pki.issue(dir, name, dns, ip);
            } catch (IOException | IllegalArgumentException e) {
                return failed(e);
            }
            X509Certificate x = c.x509();
            System.out.println("certificate for \"" + name + "\": " + c.certificate() + ", private key " + c.key()
                    + " (0600), names " + x.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1)))
                    .toList() + ", valid until " + x.getNotAfter().toInstant());
            return 0;
        }
    }
}
