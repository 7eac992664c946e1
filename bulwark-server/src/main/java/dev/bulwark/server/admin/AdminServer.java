package dev.bulwark.server.admin;

import dev.bulwark.core.net.HostPort;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The admin listener: one Javalin app on a loopback address by default, to which every
 * owner of admin endpoints adds its {@link AdminRoutes}. A failing handler is answered
 * with a JSON error (and logged) so scripts can read it.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final Javalin app;
    private final InetSocketAddress address;

    private AdminServer(Javalin app, InetSocketAddress address) {
        this.app = app;
        this.address = address;
    }

    public static AdminServer start(HostPort at, List<AdminRoutes> routes) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.useVirtualThreads = true;
            config.http.defaultContentType = "application/json";
            // no graceful wait: keep-alive scrapers would otherwise hold up every shutdown
            config.jetty.modifyServer(server -> server.setStopTimeout(0));
        });
        app.exception(Exception.class, (e, ctx) -> {
            log.warn("admin {} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500).json(Map.of("error", String.valueOf(e.getMessage())));
        });
        for (AdminRoutes r : routes) r.register(app);
        try {
            app.start(at.host(), at.port());
        } catch (RuntimeException e) {
            stopQuietly(app);
            throw new IllegalStateException("cannot start the admin listener on " + at + ": " + rootMessage(e), e);
        }
        InetSocketAddress bound = new InetSocketAddress(at.host(), app.port());
        log.info("admin listening on http://{}", HostPort.parse(at.host() + ":" + app.port()));
        return new AdminServer(app, bound);
    }

    public InetSocketAddress address() { return address; }

    /** {@code http://host:port} of the admin listener. */
    public String url() { return "http://" + new HostPort(address.getHostString(), address.getPort()); }

    @Override
    public void close() { stopQuietly(app); }

    private static void stopQuietly(Javalin app) {
        try {
            app.stop();
        } catch (RuntimeException e) {
            log.debug("admin listener stop: {}", e.toString());
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }
}
