package dev.bulwark.control.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * First start of an empty store: creates the owner account and operator and an admin token
 * for every zone and permission, writes it to {@code admin.token} in the data directory
 * (created with mode 600 before anything is written to it) and prints it once. Later starts
 * find an operator and do nothing.
 */
public final class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    public static final String TOKEN_FILE = "admin.token";

    private Bootstrap() {}

    /** Returns the new admin token when this call bootstrapped the store, empty otherwise. */
    public static Optional<String> ensureOwner(TokenService tokens, Path dataDir) {
        if (tokens.hasOperators()) return Optional.empty();
        tokens.createAccount("default", "Default account");
        tokens.createOperator("owner", "default", "owner", Role.OWNER);
        IssuedToken t = tokens.create(null, "owner", "bootstrap admin token", Set.of("*"),
                EnumSet.allOf(Permission.class), null);
        Path file = dataDir.resolve(TOKEN_FILE);
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, t.secret() + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        LOG.warn("created the owner operator; admin token (shown once, also in {}): {}", file, t.secret());
        return Optional.of(t.secret());
    }
}
