package dev.bulwark.control.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.tls.PemCertificates;
import org.jdbi.v3.core.Handle;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Zone certificates in the store: the chain is part of the zone's document ({@code cert_pem}),
 * the private key is a secret kept in {@code tls_key} and named in the document by
 * {@code key_ref} (the fingerprint of the certificate's public key).
 *
 * <p>On every write, each zone whose {@code tls} changed is checked — chain and key parse, the key
 * belongs to the certificate, no certificate of the chain is expired or not yet valid — and its
 * {@code key_pem} is moved into {@code tls_key} and replaced by {@code key_ref}; a problem is a 422
 * naming the field. The snapshot handed to the edge gets the key back ({@link #resolve}).
 */
public final class TlsKeys {
    private TlsKeys() {}

    /** Checks and seals the changed certificates of {@code doc} (against {@code old}) in {@code tx}. */
    static void seal(Handle tx, ObjectNode doc, ObjectNode old, String focus, long nowMillis) {
        Map<String, JsonNode> before = new HashMap<>();
        for (JsonNode z : ConfigStore.zones(old)) before.put(z.path("id").asText(), z.get("tls"));
        Instant now = Instant.ofEpochMilli(nowMillis);
        List<FieldError> errors = new ArrayList<>();
        ArrayNode zones = ConfigStore.zones(doc);
        for (int i = 0; i < zones.size(); i++) {
            if (!(zones.get(i).get("tls") instanceof ObjectNode tls) || tls.equals(before.get(zones.get(i).path("id").asText()))) continue;
            String path = "zones[" + i + "].tls";
            if (tls.has("cert") || tls.has("key")) {
                errors.add(new FieldError(ConfigDocuments.relative(path + (tls.has("cert") ? ".cert" : ".key"), focus),
                        "the store keeps certificates as PEM text: send cert_pem and key_pem (bulwark config import reads files)"));
                continue;
            }
            String certPem = tls.path("cert_pem").isTextual() ? tls.get("cert_pem").asText() : null;
            if (certPem == null) continue; // the config validation names the missing field
            String keyPem = tls.path("key_pem").isTextual() ? tls.get("key_pem").asText() : null;
            String keyRef = tls.path("key_ref").isTextual() ? tls.get("key_ref").asText() : null;
            if (keyPem == null && keyRef != null) {
                keyPem = stored(tx, keyRef).orElse(null);
                if (keyPem == null) {
                    errors.add(new FieldError(ConfigDocuments.relative(path + ".key_ref", focus), "no stored key " + keyRef + "; send key_pem"));
                    continue;
                }
            }
            if (keyPem == null) continue;
            List<PemCertificates.Problem> problems = PemCertificates.check(certPem, keyPem, now);
            for (PemCertificates.Problem p : problems) errors.add(new FieldError(ConfigDocuments.relative(path + "." + p.field(), focus), p.reason()));
            if (!problems.isEmpty()) continue;
            String fingerprint = PemCertificates.publicKeyFingerprint(PemCertificates.chain(certPem).getFirst());
            tx.createUpdate("INSERT INTO tls_key (fingerprint, key_pem, created_at) VALUES (:f, :k, :t) ON CONFLICT (fingerprint) DO NOTHING")
                    .bind("f", fingerprint).bind("k", keyPem).bind("t", nowMillis).execute();
            tls.remove("key_pem");
            tls.put("key_ref", fingerprint);
        }
        if (!errors.isEmpty()) throw StoreException.invalid(errors);
    }

    /** The zones with their stored keys put back, for the edge. */
    static List<ZoneConfig> resolve(Handle h, List<ZoneConfig> zones) {
        List<ZoneConfig> out = new ArrayList<>(zones.size());
        for (ZoneConfig z : zones) {
            CertificateConfig tls = z.tls();
            if (tls == null || tls.keyRef() == null || tls.keyPem() != null) {
                out.add(z);
                continue;
            }
            String pem = stored(h, tls.keyRef()).orElse(null); // absent: the edge refuses the snapshot, naming the zone
            out.add(new ZoneConfig(z.id(), z.hostnames(), tls.withKeyPem(pem), z.origins(), z.timeouts(), z.limits(), z.firewall(),
                    z.lists(), z.rateLimits(), z.challenge(), z.ddos(), z.enforcement()));
        }
        return out;
    }

    /** What the API shows instead of the key: the certificate's subject, names, validity and key fingerprint. */
    public static Map<String, Object> describe(String certPem) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        try {
            X509Certificate leaf = PemCertificates.chain(certPem).getFirst();
            m.put("subject", leaf.getSubjectX500Principal().getName());
            m.put("issuer", leaf.getIssuerX500Principal().getName());
            m.put("not_before", leaf.getNotBefore().toInstant().toString());
            m.put("not_after", leaf.getNotAfter().toInstant().toString());
            m.put("public_key_sha256", PemCertificates.publicKeyFingerprint(leaf));
        } catch (IllegalArgumentException e) {
            m.put("error", e.getMessage());
        }
        return m;
    }

    private static Optional<String> stored(Handle h, String fingerprint) {
        return h.createQuery("SELECT key_pem FROM tls_key WHERE fingerprint = :f").bind("f", fingerprint).mapTo(String.class).findOne();
    }
}
