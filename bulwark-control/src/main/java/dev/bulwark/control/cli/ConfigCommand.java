package dev.bulwark.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code bulwark config diff|rollback|import|versions}. */
@Command(name = "config", description = "Config versions: diff, roll back, import a YAML file.", mixinStandardHelpOptions = true,
        subcommands = {ConfigCommand.Diff.class, ConfigCommand.Rollback.class, ConfigCommand.Import.class, ConfigCommand.Versions.class})
public final class ConfigCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand"); }


    @Command(name = "diff", description = "Show what changed between two versions (default: the latest change).")
    static final class Diff extends ApiCommand {
        @Parameters(index = "0", arity = "0..1", description = "From version (default: TO - 1).")
        Long from;

        @Parameters(index = "1", arity = "0..1", description = "To version (default: latest).")
        Long to;

        @Option(names = "--zone", description = "Only this zone.")
        String zone;

        @Override
        void run(ApiClient c) {
            StringBuilder q = new StringBuilder("/api/v1/config/diff?");
            if (from != null) q.append("from=").append(from).append('&');
            if (to != null) q.append("to=").append(to).append('&');
            if (zone != null) q.append("zone=").append(enc(zone));
            JsonNode r = c.get(q.toString());
            print(r, () -> {
                if (r.get("changes").isEmpty()) out().println("no changes between " + r.path("from").asLong() + " and " + r.path("to").asLong());
                for (JsonNode ch : r.get("changes")) out().print(ch.path("diff").asText());
            });
        }
    }

    @Command(name = "rollback", description = "Make an earlier version current again (as a new version).")
    static final class Rollback extends ApiCommand {
        @Parameters(index = "0", description = "Version to restore.")
        long version;

        @Option(names = {"-m", "--message"}, description = "Why.")
        String message;

        @Override
        void run(ApiClient c) {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("version", version);
            if (message != null) body.put("message", message);
            JsonNode r = c.post("/api/v1/config/rollback", body.toString());
            print(r, () -> out().println(r.path("changed").asBoolean()
                    ? "restored version " + version + " as version " + r.path("version").asLong()
                    : "version " + version + " is already current"));
        }
    }

    @Command(name = "import", description = "Load the zones and lists of a Bulwark YAML file into the store.")
    static final class Import extends ApiCommand {
        @Parameters(index = "0", description = "Config file.")
        Path file;

        @Override
        void run(ApiClient c) throws Exception {
            String yaml;
            try {
                yaml = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new UsageProblem("no such file: " + file);
            }
            yaml = withPemCertificates(yaml, file);
            JsonNode r = c.post("/api/v1/config/import?message=" + enc("import " + file.getFileName()), yaml, "application/yaml");
            print(r, () -> out().println(r.path("changed").asBoolean()
                    ? "imported " + file + " as config version " + r.path("version").asLong()
                    : "the store already holds " + file));
        }
    }

    /**
     * The file with each zone's certificate files ({@code tls: {cert, key}}, relative to the file)
     * replaced by their PEM text, since the store keeps certificates as text and the API may run
     * elsewhere. A file without such certificates is sent unchanged (its line numbers intact).
     */
    static String withPemCertificates(String yaml, Path file) {
        ObjectNode root;
        try {
            if (!(dev.bulwark.core.config.ConfigLoader.mapper().readTree(yaml) instanceof ObjectNode o)) return yaml;
            root = o;
        } catch (java.io.IOException e) {
            return yaml; // the API names the syntax error with its line
        }
        boolean changed = false;
        JsonNode zones = root.path("zones");
        Path dir = file.toAbsolutePath().getParent();
        for (int i = 0; i < zones.size(); i++) {
            if (!(zones.get(i).get("tls") instanceof ObjectNode tls)) continue;
            for (String[] f : new String[][]{{"cert", "cert_pem"}, {"key", "key_pem"}}) {
                if (!tls.path(f[0]).isTextual()) continue;
                Path p = dir.resolve(tls.get(f[0]).asText());
                try {
                    tls.put(f[1], Files.readString(p));
                } catch (java.io.IOException e) {
                    throw new ApiCommand.UsageProblem("zones[" + i + "].tls." + f[0] + ": cannot read " + p);
                }
                tls.remove(f[0]);
                changed = true;
            }
        }
        return changed ? ApiCommand.yaml(root) : yaml;
    }

    @Command(name = "versions", description = "List config versions, newest first.")
    static final class Versions extends ApiCommand {
        @Option(names = "--limit", defaultValue = "20", description = "How many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void run(ApiClient c) {
            JsonNode r = c.get("/api/v1/config/versions?limit=" + limit);
            print(r.get("items"), () -> {
                for (JsonNode v : r.get("items")) {
                    out().printf("%6d  %-24s  %-30s  %s%n", v.path("number").asLong(),
                            java.time.Instant.ofEpochMilli(v.path("created_at").asLong()), v.path("author").asText(), v.path("message").asText());
                }
            });
        }
    }
}
