package dev.bulwark.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code bulwark token create|revoke|list}. */
@Command(name = "token", description = "Manage API tokens.", mixinStandardHelpOptions = true,
        subcommands = {TokenCommand.Create.class, TokenCommand.Revoke.class, TokenCommand.ListTokens.class})
public final class TokenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand"); }


    @Command(name = "create", description = "Create a token; its secret is printed once.")
    static final class Create extends ApiCommand {
        @Option(names = "--name", required = true, description = "What the token is for.")
        String name;

        @Option(names = {"-p", "--permission"}, required = true,
                description = "zones:read, zones:write, config:read, config:write, tokens:write, audit:read, analytics:read (repeatable).")
        List<String> permissions = new ArrayList<>();

        @Option(names = {"-z", "--zone"}, description = "Zone id the token may touch (repeatable; default: every zone).")
        List<String> zones = new ArrayList<>();

        @Option(names = "--expires-in", description = "Lifetime such as 30d or 12h (default: no expiry).")
        String expiresIn;

        @Override
        void run(ApiClient c) {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            body.put("name", name);
            permissions.forEach(body.putArray("permissions")::add);
            if (!zones.isEmpty()) zones.forEach(body.putArray("zones")::add);
            if (expiresIn != null) body.put("expires_in", expiresIn);
            JsonNode r = c.post("/api/v1/tokens", body.toString());
            print(r, () -> {
                out().println("created token " + r.path("id").asText() + "; it is shown only now:");
                out().println(r.path("token").asText());
            });
        }
    }

    @Command(name = "revoke", description = "Revoke a token by id.")
    static final class Revoke extends ApiCommand {
        @Parameters(index = "0", description = "Token id (as listed, without bwk_).")
        String id;

        @Override
        void run(ApiClient c) {
            JsonNode r = c.delete("/api/v1/tokens/" + enc(id));
            print(r, () -> out().println("revoked token " + id));
        }
    }

    @Command(name = "list", description = "List tokens.")
    static final class ListTokens extends ApiCommand {
        @Override
        void run(ApiClient c) {
            JsonNode r = c.get("/api/v1/tokens");
            print(r.get("items"), () -> {
                out().printf("%-14s %-24s %-10s %s%n", "ID", "NAME", "STATE", "PERMISSIONS");
                for (JsonNode t : r.get("items")) {
                    String state = t.hasNonNull("revoked_at") ? "revoked" : "active";
                    out().printf("%-14s %-24s %-10s %s%n", t.path("id").asText(), t.path("name").asText(), state, t.path("permissions"));
                }
            });
        }
    }
}
