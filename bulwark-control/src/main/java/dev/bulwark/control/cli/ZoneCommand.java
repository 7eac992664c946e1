package dev.bulwark.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.core.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code bulwark zone list|add|rm|show}. */
@Command(name = "zone", description = "Manage zones in the store.", mixinStandardHelpOptions = true,
        subcommands = {ZoneCommand.ListZones.class, ZoneCommand.Add.class, ZoneCommand.Remove.class, ZoneCommand.Show.class,
                ZoneCommand.UnderAttack.class})
public final class ZoneCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand"); }


    @Command(name = "list", description = "List zones.")
    static final class ListZones extends ApiCommand {
        @Override
        void run(ApiClient c) {
            ArrayNode all = ApiClient.JSON.createArrayNode();
            String cursor = null;
            for (int pages = 0; pages < 10_000; pages++) {
                JsonNode page = c.get("/api/v1/zones?limit=500" + (cursor == null ? "" : "&cursor=" + enc(cursor)));
                page.get("items").forEach(all::add);
                cursor = page.path("next_cursor").isTextual() ? page.get("next_cursor").asText() : null;
                if (cursor == null) break;
            }
            print(all, () -> {
                out().printf("%-24s %-40s %s%n", "ID", "HOSTNAMES", "ORIGINS");
                for (JsonNode z : all) {
                    List<String> origins = new ArrayList<>();
                    z.at("/origins/servers").forEach(s -> origins.add(s.path("url").asText()));
                    List<String> hosts = new ArrayList<>();
                    z.path("hostnames").forEach(h -> hosts.add(h.asText()));
                    out().printf("%-24s %-40s %s%n", z.path("id").asText(), String.join(",", hosts), String.join(",", origins));
                }
            });
        }
    }

    @Command(name = "add", description = "Create a zone from options or from a YAML/JSON file holding one zone.")
    static final class Add extends ApiCommand {
        @Parameters(index = "0", arity = "0..1", description = "Zone id (taken from --file when omitted).")
        String id;

        @Option(names = "--host", description = "Hostname (repeatable).")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--origin", description = "Origin URL such as http://10.0.0.5:8080 (repeatable).")
        List<String> origins = new ArrayList<>();

        @Option(names = {"-f", "--file"}, description = "A zone as YAML or JSON (same keys as the config file).")
        Path file;

        @Option(names = {"-m", "--message"}, description = "Message for the config version.")
        String message;

        @Override
        void run(ApiClient c) throws Exception {
            ObjectNode zone;
            if (file != null) {
                zone = (ObjectNode) ConfigLoader.mapper().readTree(Files.readString(file));
                if (id != null) zone.put("id", id);
            } else {
                if (id == null) throw new UsageProblem("give a zone id, or --file");
                if (hosts.isEmpty() || origins.isEmpty()) throw new UsageProblem("give at least one --host and one --origin, or --file");
                zone = ApiClient.JSON.createObjectNode();
                zone.put("id", id);
                ArrayNode h = zone.putArray("hostnames");
                hosts.forEach(h::add);
                ArrayNode s = zone.putObject("origins").putArray("servers");
                origins.forEach(o -> s.addObject().put("url", o));
            }
            JsonNode r = c.post("/api/v1/zones" + (message == null ? "" : "?message=" + enc(message)), zone.toString());
            print(r, () -> out().println("created zone " + r.at("/zone/id").asText() + " (config version " + r.path("version").asLong() + ")"));
        }
    }

    @Command(name = "rm", description = "Delete a zone.")
    static final class Remove extends ApiCommand {
        @Parameters(index = "0", description = "Zone id.")
        String id;

        @Override
        void run(ApiClient c) {
            JsonNode r = c.delete("/api/v1/zones/" + enc(id));
            print(r, () -> out().println("deleted zone " + id + " (config version " + r.path("version").asLong() + ")"));
        }
    }

    @Command(name = "show", description = "Show a zone as YAML.")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", description = "Zone id.")
        String id;

        @Override
        void run(ApiClient c) {
            JsonNode r = c.get("/api/v1/zones/" + enc(id));
            print(r, () -> out().print(yaml(r)));
        }
    }

    @Command(name = "under-attack", description = "Switch a zone's \"under attack\" mode: every visitor without clearance is challenged.")
    static final class UnderAttack extends ApiCommand {
        @Parameters(index = "0", description = "Zone id.")
        String id;

        @Parameters(index = "1", paramLabel = "on|off", description = "on or off.")
        String state;

        @Override
        void run(ApiClient c) {
            boolean on = switch (state.toLowerCase(java.util.Locale.ROOT)) {
                case "on", "true" -> true;
                case "off", "false" -> false;
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "state must be on or off (got '" + state + "')");
            };
            JsonNode r = c.put("/api/v1/zones/" + enc(id) + "/under-attack", "{\"enabled\":" + on + "}");
            print(r, () -> out().println("zone " + id + ": under attack mode " + (on ? "on" : "off")
                    + " (config version " + r.path("version").asLong() + ")"));
        }
    }
}
