package dev.bulwark.control.web;

import io.javalin.http.Context;
import org.webjars.WebJarVersionLocator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's static files, read from the classpath once at start: its own script and
 * style sheet, and htmx and uPlot from their WebJars (the version found by
 * webjars-locator-lite, so a dependency bump needs no code change). A fixed list: nothing
 * else on the classpath can be asked for. Served from this origin, so the CSP allows only
 * {@code 'self'}; no CDN, no build step.
 */
final class Assets {
    /** One file: its bytes, content type and a strong ETag. */
    record Asset(byte[] bytes, String contentType, String etag) {}

    static final String BASE = "/dashboard/static/";
    private final Map<String, Asset> files = new LinkedHashMap<>();

    Assets() {
        WebJarVersionLocator webjars = new WebJarVersionLocator();
        add("app.js", "dashboard/app.js", "text/javascript; charset=utf-8");
        add("app.css", "dashboard/app.css", "text/css; charset=utf-8");
        add("htmx.min.js", webjar(webjars, "htmx.org", "dist/htmx.min.js"), "text/javascript; charset=utf-8");
        add("uPlot.min.js", webjar(webjars, "uplot", "dist/uPlot.iife.min.js"), "text/javascript; charset=utf-8");
        add("uPlot.min.css", webjar(webjars, "uplot", "dist/uPlot.min.css"), "text/css; charset=utf-8");
    }

    void serve(Context ctx) {
        Asset a = files.get(ctx.pathParam("name"));
        if (a == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("not found");
            return;
        }
        ctx.header("Cache-Control", "public, max-age=3600").header("ETag", a.etag());
        if (a.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType(a.contentType()).result(a.bytes());
    }

    private static String webjar(WebJarVersionLocator webjars, String name, String path) {
        String full = webjars.fullPath(name, path);
        if (full == null) throw new IllegalStateException("the " + name + " WebJar (" + path + ") is missing from the build");
        return full;
    }

    private void add(String name, String resource, String contentType) {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the build");
            byte[] b = in.readAllBytes();
            files.put(name, new Asset(b, contentType, "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b), 0, 12) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
