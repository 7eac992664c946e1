package dev.bulwark.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.ControlPlane;
import dev.bulwark.control.auth.Permission;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.control.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.bulwark.control.api.ApiSupport.*;

/** Named lists: per zone, and shared by every zone. */
final class ListRoutes {
    private final ControlPlane cp;
    private final Creates creates;

    ListRoutes(ControlPlane cp, Creates creates) {
        this.cp = cp;
        this.creates = creates;
    }

    void register(Javalin app) {
        app.get("/api/v1/zones/{zone}/lists", this::listZoneLists);
        app.put("/api/v1/zones/{zone}/lists/{name}", this::putZoneList);
        app.delete("/api/v1/zones/{zone}/lists/{name}", this::deleteZoneList);
        app.get("/api/v1/lists", this::listLists);
        app.get("/api/v1/lists/{name}", this::getList);
        app.put("/api/v1/lists/{name}", this::putList);
        app.delete("/api/v1/lists/{name}", this::deleteList);
    }

    // lists

    private void listZoneLists(Context ctx) {
        String zone = ctx.pathParam("zone");
        requireZone(ctx, Permission.ZONES_READ, zone);
        json(ctx, 200, Map.of("lists", zoneOrThrow(cp.store(), zone).lists()));
    }

    private void putZoneList(Context ctx) {
        String zone = ctx.pathParam("zone");
        String name = ctx.pathParam("name");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, zone);
        List<String> items = items(body(ctx));
        ConfigStore.Commit c = cp.store().editZone(p.actor(), zone, "zone-list.put", "set list " + name + " of " + zone, z -> {
            JsonNode l = z.get("lists");
            ObjectNode lists = l instanceof ObjectNode o ? o : z.putObject("lists");
            ArrayNode arr = lists.putArray(name);
            items.forEach(arr::add);
            return "lists." + name;
        });
        json(ctx, 200, commitBody(c, "items", zoneIn(c, zone).lists().get(name)));
    }

    private void deleteZoneList(Context ctx) {
        String zone = ctx.pathParam("zone");
        String name = ctx.pathParam("name");
        Principal p = requireZone(ctx, Permission.ZONES_WRITE, zone);
        ConfigStore.Commit c = cp.store().editZone(p.actor(), zone, "zone-list.delete", "delete list " + name + " of " + zone, z -> {
            JsonNode lists = z.get("lists");
            if (!(lists instanceof ObjectNode o) || o.remove(name) == null) throw StoreException.notFound("no list '" + name + "' in zone '" + zone + "'");
            return "";
        });
        json(ctx, 200, commitBody(c, null, null));
    }

    private void listLists(Context ctx) {
        require(ctx, Permission.ZONES_READ);
        json(ctx, 200, Map.of("lists", cp.store().lists()));
    }

    private void getList(Context ctx) {
        require(ctx, Permission.ZONES_READ);
        String name = ctx.pathParam("name");
        List<String> items = cp.store().lists().get(name);
        if (items == null) throw StoreException.notFound("no list '" + name + "'");
        json(ctx, 200, Map.of("name", name, "items", items));
    }

    private void putList(Context ctx) {
        Principal p = requireAllZones(ctx, Permission.CONFIG_WRITE);
        String name = ctx.pathParam("name");
        ConfigStore.Commit c = cp.store().putList(p.actor(), name, items(body(ctx)), ctx.queryParam("message"));
        json(ctx, 200, commitBody(c, "items", c.config().lists().get(name)));
    }

    private void deleteList(Context ctx) {
        Principal p = requireAllZones(ctx, Permission.CONFIG_WRITE);
        ConfigStore.Commit c = cp.store().deleteList(p.actor(), ctx.pathParam("name"), ctx.queryParam("message"));
        json(ctx, 200, commitBody(c, null, null));
    }

    private static List<String> items(ObjectNode body) {
        JsonNode items = body.get("items");
        if (items == null || !items.isArray()) throw ApiException.badRequest("items", "items must be an array of strings");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual()) throw ApiException.badRequest("items[" + i + "]", "must be a string");
            out.add(items.get(i).asText());
        }
        return out;
    }
}
