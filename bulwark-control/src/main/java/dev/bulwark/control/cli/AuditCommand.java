package dev.bulwark.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code bulwark audit verify|export}. */
@Command(name = "audit", description = "The hash-chained audit log.", mixinStandardHelpOptions = true,
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
public final class AuditCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand"); }


    @Command(name = "verify", description = "Prove the audit chain intact, or name the first altered entry (exit 1).")
    static final class Verify extends ApiCommand {
        @Override
        void run(ApiClient c) {
            JsonNode r = c.get("/api/v1/audit/verify");
            print(r, () -> out().println(r.path("intact").asBoolean()
                    ? "audit chain intact: " + r.path("entries_checked").asLong() + " entries, last hash " + r.path("last_hash").asText()
                    : "audit chain BROKEN at entry " + r.path("first_altered_id").asLong() + ": " + r.path("reason").asText()));
            if (!r.path("intact").asBoolean()) throw new ApiClient.Refused(200, null, "audit chain broken at entry " + r.path("first_altered_id").asLong());
        }
    }

    @Command(name = "export", description = "Print every audit entry as JSON lines.")
    static final class Export extends ApiCommand {
        @Override
        void run(ApiClient c) {
            out().print(c.getText("/api/v1/audit/export"));
            out().flush();
        }
    }
}
