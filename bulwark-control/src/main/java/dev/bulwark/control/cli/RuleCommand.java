package dev.bulwark.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code bulwark rule add|list|rm} for a zone's firewall and rate-limit rules. */
@Command(name = "rule", description = "Manage a zone's firewall and rate-limit rules.", mixinStandardHelpOptions = true,
        subcommands = {RuleCommand.Add.class, RuleCommand.ListRules.class, RuleCommand.Remove.class})
public final class RuleCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand"); }

    enum Kind {
        firewall("firewall-rules"), ratelimit("rate-limit-rules");

        final String segment;

        Kind(String segment) { this.segment = segment; }
    }

    @Command(name = "add", description = "Add a rule. Firewall: --expression and --action. Rate limit: --kind ratelimit --requests --period.")
    static final class Add extends ApiCommand {
        @Parameters(index = "0", description = "Zone id.")
        String zone;

        @Option(names = "--kind", defaultValue = "firewall", description = "firewall or ratelimit (default: ${DEFAULT-VALUE}).")
        Kind kind;

        @Option(names = "--id", description = "Rule id (generated when omitted).")
        String id;

        @Option(names = {"-e", "--expression"}, description = "Match expression.")
        String expression;

        @Option(names = {"-a", "--action"}, description = "Action: block, challenge, allow, skip, log (firewall); block, challenge, log, tarpit, close (rate limit: close also ends the client connection).")
        String action;

        @Option(names = "--description", description = "What the rule is for.")
        String description;

        @Option(names = "--mode", description = "enforce or log.")
        String mode;

        @Option(names = "--requests", description = "Rate limit: requests allowed per period.")
        Long requests;

        @Option(names = "--period", description = "Rate limit: window such as 10s or 1m.")
        String period;

        @Option(names = "--key", description = "Rate limit: counting key, e.g. ip.src (repeatable).")
        List<String> key;

        @Override
        void run(ApiClient c) {
            ObjectNode rule = ApiClient.JSON.createObjectNode();
            if (id != null) rule.put("id", id);
            if (expression != null) rule.put("expression", expression);
            if (action != null) rule.put("action", action);
            if (description != null) rule.put("description", description);
            if (mode != null) rule.put("mode", mode);
            if (kind == Kind.firewall && expression == null) throw new UsageProblem("a firewall rule needs --expression");
            if (kind == Kind.ratelimit) {
                if (requests == null) throw new UsageProblem("a rate-limit rule needs --requests");
                rule.put("requests", requests);
                if (period != null) rule.put("period", period);
                if (key != null) key.forEach(rule.putArray("key")::add);
            }
            JsonNode r = c.post("/api/v1/zones/" + enc(zone) + "/" + kind.segment, rule.toString());
            print(r, () -> out().println("added rule " + r.at("/rule/id").asText() + " to " + zone
                    + " (config version " + r.path("version").asLong() + ")"));
        }
    }

    @Command(name = "list", description = "List a zone's rules.")
    static final class ListRules extends ApiCommand {
        @Parameters(index = "0", description = "Zone id.")
        String zone;

        @Option(names = "--kind", defaultValue = "firewall", description = "firewall or ratelimit (default: ${DEFAULT-VALUE}).")
        Kind kind;

        @Override
        void run(ApiClient c) {
            JsonNode r = c.get("/api/v1/zones/" + enc(zone) + "/" + kind.segment);
            print(r.get("items"), () -> {
                out().printf("%-20s %-10s %-8s %s%n", "ID", "ACTION", "MODE", kind == Kind.firewall ? "EXPRESSION" : "LIMIT");
                for (JsonNode rule : r.get("items")) {
                    String what = kind == Kind.firewall ? rule.path("expression").asText()
                            : rule.path("requests").asText() + " per " + rule.path("period").asText() + " by " + rule.path("key");
                    out().printf("%-20s %-10s %-8s %s%n", rule.path("id").asText(), rule.path("action").asText().toLowerCase(),
                            rule.path("mode").asText().toLowerCase(), what);
                }
            });
        }
    }

    @Command(name = "rm", description = "Delete a rule.")
    static final class Remove extends ApiCommand {
        @Parameters(index = "0", description = "Zone id.")
        String zone;

        @Parameters(index = "1", description = "Rule id.")
        String rule;

        @Option(names = "--kind", defaultValue = "firewall", description = "firewall or ratelimit (default: ${DEFAULT-VALUE}).")
        Kind kind;

        @Override
        void run(ApiClient c) {
            JsonNode r = c.delete("/api/v1/zones/" + enc(zone) + "/" + kind.segment + "/" + enc(rule));
            print(r, () -> out().println("deleted rule " + rule + " from " + zone + " (config version " + r.path("version").asLong() + ")"));
        }
    }
}
