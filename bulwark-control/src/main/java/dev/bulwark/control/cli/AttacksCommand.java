package dev.bulwark.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** {@code bulwark attacks list [ZONE]}: the attack events the edge detected, newest first. */
@Command(name = "attacks", description = "Attack events detected by the edge.", mixinStandardHelpOptions = true,
        subcommands = AttacksCommand.ListAttacks.class)
public final class AttacksCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand"); }

    @Command(name = "list", description = "List attack events, newest first (of one zone, or of every zone the token reaches).")
    static final class ListAttacks extends ApiCommand {
        @Parameters(index = "0", arity = "0..1", description = "Zone id (default: every zone).")
        String zone;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many events (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void run(ApiClient c) {
            if (limit < 1) throw new UsageProblem("--limit must be at least 1");
            String base = zone == null ? "/api/v1/attacks" : "/api/v1/zones/" + enc(zone) + "/attacks";
            ArrayNode all = ApiClient.JSON.createArrayNode();
            String cursor = null;
            while (all.size() < limit) {
                JsonNode page = c.get(base + "?limit=" + Math.min(500, limit - all.size()) + (cursor == null ? "" : "&cursor=" + enc(cursor)));
                page.get("items").forEach(all::add);
                cursor = page.path("next_cursor").isTextual() ? page.get("next_cursor").asText() : null;
                if (cursor == null) break;
            }
            print(all, () -> {
                if (all.isEmpty()) {
                    out().println(zone == null ? "no attack events" : "no attack events for zone " + zone);
                    return;
                }
                out().printf("%-20s %-16s %-14s %10s  %-9s %s%n", "STARTED", "ZONE", "STATUS", "PEAK REQ/S", "ACTION", "SIGNATURE");
                for (JsonNode e : all) {
                    Instant start = Instant.ofEpochMilli(e.path("started_at").asLong()).truncatedTo(ChronoUnit.SECONDS);
                    String status = e.path("ongoing").asBoolean() ? "ongoing"
                            : "ended after " + human(Duration.ofMillis(e.path("ended_at").asLong() - e.path("started_at").asLong()));
                    out().printf("%-20s %-16s %-14s %10.0f  %-9s %s%n", start, e.path("zone").asText(), status,
                            e.path("peak_rate").asDouble(), e.path("action").isNull() ? "none" : e.path("action").asText(),
                            e.at("/signature/expression").asText());
                }
            });
        }

        private static String human(Duration d) {
            long s = d.toSeconds();
            return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" : (s / 3600) + "h";
        }
    }
}
