package dev.bulwark.control.api;

import dev.bulwark.control.ControlPlane;
import io.javalin.Javalin;

/**
 * The API and the dashboard on their own Javalin server: for tests (port 0) and for running the control plane
 * without the rest of the server. In production the server's admin listener registers
 * {@link ControlApi} on its own app instead.
 */
public final class ControlServer implements AutoCloseable {
    private final Javalin app;

    private ControlServer(Javalin app) { this.app = app; }

    public static ControlServer start(ControlPlane cp, String host, int port, ControlApi.Options options) {
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.useVirtualThreads = true;
        });
        new ControlApi(cp, options).register(app);
        new dev.bulwark.control.web.Dashboard(cp).register(app);
        app.start(host, port);
        return new ControlServer(app);
    }

    public static ControlServer start(ControlPlane cp, String host, int port) {
        return start(cp, host, port, ControlApi.Options.defaults());
    }

    public int port() { return app.port(); }

    public String baseUrl() { return "http://127.0.0.1:" + port(); }

    /** Every route the server answers, as {@code "METHOD /path/{param}"} (what the OpenAPI document must list). */
    public java.util.SortedSet<String> routes() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (var e : app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            if (e.getEndpoint().getMethod().isHttpMethod()) out.add(e.getEndpoint().getMethod() + " " + e.getEndpoint().getPath());
        }
        return out;
    }

    @Override
    public void close() { app.stop(); }
}
