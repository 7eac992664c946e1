package dev.bulwark.server.cli;

import picocli.CommandLine.Option;

/** The fleet's PostgreSQL store, for the commands that open it ({@code serve}, {@code keys rotate}). */
public final class StoreOptions {
    @Option(names = "--store-url", paramLabel = "JDBC_URL",
            description = "Keep zones in PostgreSQL instead of SQLite (e.g. jdbc:postgresql://db/bulwark); needs --data-dir for the admin token.")
    String url;

    @Option(names = "--store-user", paramLabel = "USER", description = "PostgreSQL user.")
    String user;

    @Option(names = "--store-password", paramLabel = "PASSWORD", description = "PostgreSQL password (or env BULWARK_STORE_PASSWORD).",
            defaultValue = "${env:BULWARK_STORE_PASSWORD}")
    String password;
}
