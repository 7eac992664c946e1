package dev.bulwark.edge.proxy;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.net.Cidr;
import dev.bulwark.edge.tls.TlsContexts;
import dev.bulwark.edge.zone.ZoneTable;

import java.net.InetAddress;
import java.util.List;

/**
 * Everything a request reads from configuration, frozen: the config, the zone table, the
 * certificates and the trusted proxies. The edge holds one in an AtomicReference; a request
 * takes it once at its start and keeps it to the end, so a reload never changes a request
 * half-way through.
 */
public record EdgeSnapshot(BulwarkConfig config, ZoneTable zones, TlsContexts tls, List<Cidr> trustedProxies) {

    public boolean isTrustedProxy(InetAddress address) {
        if (trustedProxies.isEmpty() || address == null) return false;
        byte[] raw = address.getAddress();
        for (Cidr c : trustedProxies) {
            if (c.contains(raw) || raw.length == 4 && c.contains(mapped(raw))) return true;
        }
        return false;
    }

    private static byte[] mapped(byte[] v4) {
        byte[] m = new byte[16];
        m[10] = (byte) 0xff;
        m[11] = (byte) 0xff;
        System.arraycopy(v4, 0, m, 12, 4);
        return m;
    }
}
