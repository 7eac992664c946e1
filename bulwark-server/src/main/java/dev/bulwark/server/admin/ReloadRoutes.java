package dev.bulwark.server.admin;

import dev.bulwark.core.config.ConfigProblem;
import dev.bulwark.server.runtime.ConfigReloader;
import dev.bulwark.server.runtime.ReloadOutcome;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /-/reload}: reads the config file again and applies it. 200 with the new
 * version, 422 with every problem (file, line, column, reason) while the old config keeps
 * running, 409 when the instance was not started from a file. {@code GET /-/config/version}
 * tells which version runs.
 */
public final class ReloadRoutes implements AdminRoutes {
    private final ConfigReloader reloader;

    public ReloadRoutes(ConfigReloader reloader) { this.reloader = reloader; }

    @Override
    public void register(Javalin app) {
        app.post("/-/reload", ctx -> {
            ReloadOutcome outcome = reloader.reload();
            switch (outcome) {
                case ReloadOutcome.Applied a -> ctx.json(Map.of("status", "ok", "version", a.version(), "source", a.source()));
                case ReloadOutcome.Refused r -> ctx.status(r.noSource() ? 409 : 422).json(refusal(r));
            }
        });
        app.get("/-/config/version", ctx -> ctx.json(Map.of("version", reloader.version())));
    }

    private static Map<String, Object> refusal(ReloadOutcome.Refused r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "refused");
        body.put("version", r.runningVersion());
        List<Map<String, Object>> problems = r.problems().stream().map(ReloadRoutes::problem).toList();
        body.put("problems", problems);
        return body;
    }

    private static Map<String, Object> problem(ConfigProblem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", p.source());
        m.put("line", p.line());
        m.put("column", p.column());
        m.put("path", p.path());
        m.put("reason", p.reason());
        m.put("message", p.toString());
        return m;
    }
}
