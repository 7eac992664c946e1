package dev.bulwark.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark stats ZONE}: the last hour's totals and heaviest clients and paths. */
@Command(name = "stats", description = "Traffic of a zone: last hour's totals and top clients, paths, user agents, prefixes.",
        mixinStandardHelpOptions = true)
public final class StatsCommand extends ApiCommand {
    @Parameters(index = "0", description = "Zone id.")
    String zone;

    @Option(names = "--top", defaultValue = "5", description = "Entries per ranking (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    void run(ApiClient c) {
        JsonNode series = c.get("/api/v1/zones/" + enc(zone) + "/analytics?resolution=minute&window=60");
        JsonNode tops = c.get("/api/v1/zones/" + enc(zone) + "/analytics/top?limit=" + top);
        ObjectNode both = ApiClient.JSON.createObjectNode();
        both.set("totals_last_hour", series.get("totals_last_hour"));
        both.set("points", series.get("points"));
        both.set("top", tops);
        print(both, () -> {
            JsonNode t = series.get("totals_last_hour");
            out().println("zone " + zone + ", last hour:");
            t.fieldNames().forEachRemaining(f -> out().printf("  %-14s %d%n", f, t.get(f).asLong()));
            for (String dim : new String[] {"clients", "paths", "user_agents", "prefixes"}) {
                out().println("top " + dim.replace('_', ' ') + ":");
                for (JsonNode e : tops.path(dim)) out().printf("  %10d  %s%n", e.path("count").asLong(), e.path("key").asText());
            }
        });
    }
}
