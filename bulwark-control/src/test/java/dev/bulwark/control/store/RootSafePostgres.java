package dev.bulwark.control.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Starts zonky's embedded PostgreSQL even when the tests run as root.
 *
 * <p>PostgreSQL's {@code initdb}, {@code pg_ctl} and {@code postgres} refuse to run with
 * effective uid 0. Zonky lets us supply the binary archive ({@link PgBinaryResolver}), so we
 * repack the bundled archive: each of those three programs is renamed {@code NAME.real} and
 * replaced by a small shell script that, only when started as root, re-executes it inside a
 * new user namespace where our uid is mapped to an unprivileged one
 * ({@code unshare --user --map-user=65534}). Files owned by root outside appear owned by that
 * uid inside, so the data directory ownership checks pass; nothing else changes. As a
 * non-root user the scripts simply exec the real program.
 */
public final class RootSafePostgres {
    private static final Set<String> WRAPPED = Set.of("bin/initdb", "bin/pg_ctl", "bin/postgres");
    private static volatile byte[] archive;

    private RootSafePostgres() {}

    public static EmbeddedPostgres start() throws IOException {
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "bulwark-embedded-pg");
        Files.createDirectories(work);
        return EmbeddedPostgres.builder()
                .setPgBinaryResolver(RootSafePostgres::repacked)
                .setOverrideWorkingDirectory(work.toFile())
                .setPGStartupWait(java.time.Duration.ofSeconds(60))
                .start();
    }

    /**
     * The repacked archive, cached next to zonky's working directory: repacking means
     * decompressing and recompressing ~50 MB, too slow to repeat in every test JVM.
     */
    private static synchronized InputStream repacked(String system, String arch) throws IOException {
        if (archive == null) {
            byte[] original = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, arch).readAllBytes();
            Path cache = Path.of(System.getProperty("java.io.tmpdir"), "bulwark-embedded-pg",
                    "rootsafe-" + system + "-" + arch + "-" + java.util.HexFormat.of().formatHex(
                            sha256(original), 0, 8) + ".txz");
            if (Files.isRegularFile(cache)) {
                archive = Files.readAllBytes(cache);
            } else {
                archive = repack(new ByteArrayInputStream(original));
                Path tmp = Files.createTempFile(cache.getParent(), "repack", ".tmp");
                Files.write(tmp, archive);
                Files.move(tmp, cache, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return new ByteArrayInputStream(archive);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] repack(InputStream original) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 20);
        try (TarArchiveInputStream in = new TarArchiveInputStream(new XZCompressorInputStream(original));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZCompressorOutputStream(out, 0))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (WRAPPED.contains(name)) {
                    String prog = name.substring(4);
                    String originalName = e.getName();
                    e.setName(originalName + ".real");
                    tar.putArchiveEntry(e);
                    in.transferTo(tar);
                    tar.closeArchiveEntry();
                    byte[] script = ("#!/bin/sh\n"
                            + "real=\"$(dirname \"$0\")/" + prog + ".real\"\n"
                            + "if [ \"$(id -u)\" = 0 ]; then exec unshare --user --map-user=65534 \"$real\" \"$@\"; fi\n"
                            + "exec \"$real\" \"$@\"\n").getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry w = new TarArchiveEntry(originalName);
                    w.setMode(0755);
                    w.setSize(script.length);
                    tar.putArchiveEntry(w);
                    tar.write(script);
                    tar.closeArchiveEntry();
                } else {
                    tar.putArchiveEntry(e);
                    if (e.isFile()) in.transferTo(tar);
                    tar.closeArchiveEntry();
                }
            }
        }
        return out.toByteArray();
    }
}
