package dev.bulwark.edge.policy.access;

import dev.bulwark.core.spi.Blocklist;
import dev.bulwark.edge.proxy.Phase;
import dev.bulwark.edge.proxy.RequestContext;

import java.net.InetAddress;

/**
 * Refuses requests from banned addresses and ranges (the edge's {@link Blocklist}: the admin
 * API, the connection guard's flood bans, cluster peers). The accept step already closes new
 * connections from them; this catches what it cannot see: a ban made while a keep-alive or
 * HTTP/2 connection is open, and visitors behind a trusted proxy, whose address is known only
 * from the forwarded headers.
 */
public final class BlocklistPhase implements Phase {
    public static final String NAME = "access";
    private static final String BANNED = "Requests from this address are blocked for now.";

    @Override
    public Result run(RequestContext ctx) {
        Blocklist bans = ctx.zone().policies().blocklist();
        InetAddress client = ctx.clientAddress();
        if (bans == null || client == null) return Result.CONTINUE;
        if (!bans.isBanned(client.getAddress())) return Result.CONTINUE;
        return ctx.answer(403, "blocked", NAME + ":blocklist", BANNED);
    }
}
