package org.distribank.app.cli;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import org.distribank.bank.BankMain;
import org.distribank.consortium.PeerKeys;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./distribank peer --config FILE}: one bank peer until SIGINT or SIGTERM (BankMain's logic).
 * {@code ./distribank peer --new-key FILE}: a new peer key pair for a bank of its own machine: the private key
 * into FILE (created owner-only; never overwritten), the public key printed for every bank's {@code peers} list.
 */
@Command(name = "peer", mixinStandardHelpOptions = true,
        description = "Run one bank peer from its JSON config file (e.g. the config a consortium launcher wrote),"
                + " or make a new peer key for a bank.")
public final class PeerCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--config", description = "The bank's JSON config file.")
        Path config;

        @Option(names = "--new-key", paramLabel = "FILE",
                description = "Write a new Ed25519 private key to FILE (owner-only, must not exist; the bank's"
                        + " \"peerKeyFile\") and print its public key (the bank's \"publicKey\" in every peers list).")
        Path newKey;
    }

    @Override
    public Integer call() throws Exception {
        if (what.newKey != null) {
            KeyPair pair = PeerKeys.generate();
            PeerKeys.writePrivateKey(pair.getPrivate(), what.newKey);
            System.out.println("{\"publicKey\":\"" + PeerKeys.encode(pair.getPublic()) + "\"}");
            System.out.flush();
            return 0;
        }
        BankMain.runUntilStopped(what.config);
        return 0;
    }
}
