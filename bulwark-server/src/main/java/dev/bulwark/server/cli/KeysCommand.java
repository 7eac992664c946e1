package dev.bulwark.server.cli;

import dev.bulwark.control.store.Database;
import dev.bulwark.control.store.TlsKeyVault;
import dev.bulwark.control.store.TlsKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bulwark keys rotate}: the key file that encrypts stored TLS private keys. */
@Command(name = "keys", description = "Manage the key file that encrypts the stored TLS private keys.", subcommands = KeysCommand.Rotate.class)
public final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command (rotate)");
    }

    @Command(name = "rotate", description = {
            "Re-encrypt every stored TLS private key under a new key file, in one transaction.",
            "Stop the control-plane nodes first (a running one would keep sealing under the old file), then give every",
            "node the new file (--key-file NEW, or move it over the old one) before they start again.",
            "Exit 0 done, 1 refused (the store unchanged), 2 usage."})
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "The control plane's data directory (its SQLite store, and the default key file).")
        Path dataDir;

        @Mixin
        StoreOptions store;

        @Option(names = "--key-file", paramLabel = "FILE",
                description = "The key file the keys are encrypted with now (default: env BULWARK_KEY_FILE, else DIR/tls-key-encryption.key).")
        Path keyFile;

        @Option(names = "--new-key-file", paramLabel = "FILE", required = true,
                description = "The new key file: created (mode 0600) when missing, else the secret it holds is used.")
        Path newKeyFile;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (dataDir == null && store.url == null) throw new ParameterException(spec.commandLine(), "give --data-dir or --store-url");
            Path current = TlsKeyVault.locate(keyFile, dataDir);
            if (current == null) throw new ParameterException(spec.commandLine(), "give --key-file (or set " + TlsKeyVault.ENV + ")");
            if (current.toAbsolutePath().normalize().equals(newKeyFile.toAbsolutePath().normalize())) {
                throw new ParameterException(spec.commandLine(), "--new-key-file must be another file than the current one (" + current + ")");
            }
            boolean created = false;
            try {
                TlsKeyVault from = TlsKeyVault.open(current, false);
                created = !Files.exists(newKeyFile);
                TlsKeyVault to = TlsKeyVault.open(newKeyFile, true);
                int n;
                try (Database db = Database.open(dataDir, store.url, store.user, store.password)) {
                    n = TlsKeys.rotate(db.jdbi(), from, to);
                }
                out.println("re-encrypted " + n + " stored TLS key(s): key id " + from.keyId() + " (" + current + ") -> " + to.keyId()
                        + " (" + newKeyFile + (created ? ", created" : "") + ")");
                out.println("give every node the new file before it starts: --key-file " + newKeyFile + ", or move it over " + current);
                out.flush();
                return 0;
            } catch (RuntimeException e) {
                // A refused rotation leaves no new secret behind: nothing is sealed under it, and a stray
                // key file would only be mistaken for the one the keys are under.
                if (created) forget(newKeyFile, err);
                err.println("bulwark: keys not rotated: " + e.getMessage());
                err.flush();
                return 1;
            }
        }

        private static void forget(Path createdKeyFile, PrintWriter err) {
            try {
                Files.deleteIfExists(createdKeyFile);
            } catch (IOException e) {
                err.println("bulwark: could not remove the unused new key file " + createdKeyFile + ": " + e.getMessage());
            }
        }
    }
}
