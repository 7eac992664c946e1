package dev.bulwark.server.admin;

import io.javalin.Javalin;

/**
 * A group of admin endpoints owned by one part of Bulwark (metrics, reload, and later the
 * control plane's REST API). Each owner registers its routes on the shared Javalin app
 * before the admin listener starts.
 */
@FunctionalInterface
public interface AdminRoutes {
    void register(Javalin app);
}
