package dev.bulwark.control.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.tls.PemCertificates;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Files;
import java.nio.file.Path;
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
 *
 * <p>Rows are encrypted by the node's {@link TlsKeyVault} (format 1, with its key id). Each
 * committed version marks the keys it names ({@code last_version}); when old versions are pruned,
 * the keys no kept version names are deleted in the same transaction ({@link #forgetUnused}).
 */
public final class TlsKeys {
    /** {@code tls_key.format}: PEM text from before V113, sealed at the next start. */
    static final int PLAINTEXT = 0;
    /** {@code tls_key.format}: {@link TlsKeyVault} AES-256-GCM. */
    static final int AES_GCM = 1;

    private final TlsKeyVault vault;

    TlsKeys(TlsKeyVault vault) { this.vault = vault; }

    /** Checks and seals the changed certificates of {@code doc} (against {@code old}) in {@code tx}. */
    void seal(Handle tx, ObjectNode doc, ObjectNode old, String focus, long nowMillis) {
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
            tx.createUpdate("INSERT INTO tls_key (fingerprint, key_data, format, key_id, created_at, last_version) VALUES (:f, :k, :fmt, :id, :t, 0)"
                            + " ON CONFLICT (fingerprint) DO NOTHING")
                    .bind("f", fingerprint).bind("k", vault.seal(keyPem, fingerprint)).bind("fmt", AES_GCM).bind("id", vault.keyId())
                    .bind("t", nowMillis).execute();
            tls.remove("key_pem");
            tls.put("key_ref", fingerprint);
        }
        if (!errors.isEmpty()) throw StoreException.invalid(errors);
    }

    /** Marks every key {@code zones} name as needed by {@code version} (in the transaction that commits it). */
    static void markUsed(Handle tx, List<ZoneConfig> zones, long version) {
        List<String> refs = zones.stream().filter(z -> z.tls() != null && z.tls().keyRef() != null).map(z -> z.tls().keyRef()).distinct().toList();
        if (refs.isEmpty()) return;
        tx.createUpdate("UPDATE tls_key SET last_version = :v WHERE fingerprint IN (<refs>)").bind("v", version).bindList("refs", refs).execute();
    }

    /** Deletes the keys no version from {@code oldestKept} on names; returns how many. */
    static int forgetUnused(Handle tx, long oldestKept) {
        return tx.createUpdate("DELETE FROM tls_key WHERE last_version < :v").bind("v", oldestKept).execute();
    }

    /**
     * At a control-plane start: refuses a key file other than the one the stored keys were
     * sealed with (naming the file), then encrypts rows still in plain text (written before
     * V113). Returns how many rows it encrypted.
     */
    int sealPlaintext(Handle tx) {
        requireSealedWith(tx, vault, "start with the key file they were written with (every control-plane node needs the same one)");
        List<Map.Entry<String, String>> plain = tx.createQuery("SELECT fingerprint, key_data FROM tls_key WHERE format = :f").bind("f", PLAINTEXT)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).list();
        for (Map.Entry<String, String> row : plain) storeSealed(tx, vault, row.getKey(), row.getValue(), PLAINTEXT);
        return plain.size();
    }

    /**
     * The vault for a store: the secret in {@code file}, created there (mode 0600) when
     * {@code create} is true, the file is missing and the store holds no encrypted key yet; a
     * missing file the stored keys need is an error naming it. Without a file ({@code null}), or a
     * missing one when not creating (an edge-only node), the vault refuses every use naming why.
     */
    public static TlsKeyVault openVault(Jdbi jdbi, Path file, boolean create) {
        if (file == null) return TlsKeyVault.unavailable("no key file: give --key-file or set " + TlsKeyVault.ENV);
        if (!Files.exists(file)) {
            if (!create) return TlsKeyVault.unavailable("TLS key file " + file + " does not exist");
            List<String> ids = jdbi.withHandle(TlsKeys::sealedKeyIds);
            if (!ids.isEmpty()) {
                throw new IllegalStateException("TLS key file " + file + " does not exist, but the store holds keys encrypted with key id "
                        + String.join(", ", ids) + ": copy that key file there (every control-plane node needs the same one)");
            }
        }
        return TlsKeyVault.open(file, create);
    }

    /**
     * Re-encrypts every stored private key under a new key file, in one transaction: each row is
     * opened with {@code current} (which must be the file the rows were sealed with, else nothing
     * changes and the error names it) and sealed with {@code next}; rows still in plain text are
     * sealed too. Run it while no control plane writes certificates (they would seal under the old
     * file); afterwards every node needs {@code next} in place of {@code current}. Returns how many
     * rows were re-encrypted.
     */
    public static int rotate(Jdbi jdbi, TlsKeyVault current, TlsKeyVault next) {
        if (current.keyId().equals(next.keyId())) {
            throw new IllegalArgumentException("the new key file " + next.file() + " holds the same secret as " + current.file() + " (key id " + current.keyId() + ")");
        }
        return jdbi.inTransaction(tx -> {
            requireSealedWith(tx, current, "give the key file they were written with");
            List<StoredKey> rows = tx.createQuery("SELECT fingerprint, key_data, format FROM tls_key")
                    .map((rs, ctx) -> new StoredKey(rs.getString(1), rs.getString(2), rs.getInt(3))).list();
            for (StoredKey r : rows) {
                String pem = r.format() == PLAINTEXT ? r.data() : current.open(r.data(), r.fingerprint());
                storeSealed(tx, next, r.fingerprint(), pem, r.format());
            }
            return rows.size();
        });
    }

    private record StoredKey(String fingerprint, String data, int format) {}

    /**
     * Writes the row of {@code fingerprint} as {@code pem} sealed with {@code vault}, only while it
     * is still in format {@code was} (a node starting at the same time may have sealed it first).
     */
    private static void storeSealed(Handle tx, TlsKeyVault vault, String fingerprint, String pem, int was) {
        tx.createUpdate("UPDATE tls_key SET key_data = :k, format = :fmt, key_id = :id WHERE fingerprint = :f AND format = :was")
                .bind("k", vault.seal(pem, fingerprint)).bind("fmt", AES_GCM).bind("id", vault.keyId())
                .bind("f", fingerprint).bind("was", was).execute();
    }

    /** Refuses, naming the file and what to do, when a stored key was sealed under another secret than {@code vault}'s. */
    private static void requireSealedWith(Handle tx, TlsKeyVault vault, String remedy) {
        for (String id : sealedKeyIds(tx)) {
            if (!id.equals(vault.keyId())) {
                throw new IllegalStateException("the stored TLS keys were encrypted with key id " + id + " but the key file " + vault.file()
                        + " has key id " + vault.keyId() + ": " + remedy);
            }
        }
    }

    /** The ids of the key files the stored encrypted keys were sealed with (one, unless a store was mixed up). */
    private static List<String> sealedKeyIds(Handle h) {
        return h.createQuery("SELECT DISTINCT key_id FROM tls_key WHERE format = :f").bind("f", AES_GCM).mapTo(String.class).list();
    }

    /** The zones with their stored keys put back, for the edge. */
    List<ZoneConfig> resolve(Handle h, List<ZoneConfig> zones) {
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

    /** The PEM of a stored key, decrypted. */
    private Optional<String> stored(Handle h, String fingerprint) {
        return h.createQuery("SELECT key_data, format FROM tls_key WHERE fingerprint = :f").bind("f", fingerprint)
                .map((rs, ctx) -> rs.getInt("format") == PLAINTEXT ? rs.getString("key_data") : vault.open(rs.getString("key_data"), fingerprint))
                .findOne();
    }
}
