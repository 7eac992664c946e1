package dev.bulwark.core.challenge;

import dev.bulwark.core.spi.KeyRing;
import dev.bulwark.core.time.Clock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The single-process key ring: a random key generated at start, rotated on demand,
 * keeping a bounded number of previous keys.
 *
 * <p>Without a file, a restart makes new keys and visitors solve one new challenge. With
 * {@link #persistent(Path, Clock, int)} the keys are kept in one file (by convention
 * {@code <data-dir>/challenge-keys}, mode 0600): one line per key, current first,
 * {@code <id hex> <created-at millis> <secret base64>}, rewritten atomically on rotation.
 * File I/O happens only at start and on rotation, never on the request path.
 */
public final class InMemoryKeyRing implements KeyRing {
    /** Previous keys kept by default: two rotations' worth of cookies stay valid. */
    public static final int DEFAULT_PREVIOUS = 2;

    private final Clock clock;
    private final int previous;
    private final Path file;
    private final SecureRandom random = new SecureRandom();
    private volatile KeySet set;

    private InMemoryKeyRing(Clock clock, int previous, Path file, KeySet initial) {
        if (previous < 0) throw new IllegalArgumentException("previous key count must be >= 0");
        this.clock = clock;
        this.previous = previous;
        this.file = file;
        this.set = initial != null ? initial : KeySet.of(List.of(KeySet.newKey(random, clock.currentTimeMillis(), null)));
    }

    public InMemoryKeyRing(Clock clock) { this(clock, DEFAULT_PREVIOUS, null, null); }

    public InMemoryKeyRing(Clock clock, int previous) { this(clock, previous, null, null); }

    /** A ring holding exactly these keys (current first); for tests and tools. */
    public static InMemoryKeyRing of(Clock clock, int previous, List<Key> keys) {
        return new InMemoryKeyRing(clock, previous, null, KeySet.of(keys));
    }

    /** Loads the ring from {@code file}, or creates the file with a fresh key when it does not exist. */
    public static InMemoryKeyRing persistent(Path file, Clock clock, int previous) {
        KeySet loaded = Files.exists(file) ? read(file) : null;
        InMemoryKeyRing ring = new InMemoryKeyRing(clock, previous, file, loaded);
        if (loaded == null) ring.write();
        return ring;
    }

    @Override public Key current() { return set.current(); }

    @Override public Key find(int id) { return set.find(id); }

    @Override public List<Key> keys() { return set.keys(); }

    @Override
    public synchronized void rotate() {
        KeySet now = set;
        set = now.rotate(KeySet.newKey(random, clock.currentTimeMillis(), now), previous);
        if (file != null) write();
    }

    private static KeySet read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read challenge keys from " + file, e);
        }
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split(" ");
            try {
                if (f.length != 3) throw new IllegalArgumentException("expected '<id hex> <created millis> <secret base64>'");
                keys.add(new Key(Integer.parseUnsignedInt(f[0], 16), Base64.getDecoder().decode(f[2]), Long.parseLong(f[1])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": bad challenge key line: " + e.getMessage(), e);
            }
        }
        if (keys.isEmpty()) throw new IllegalArgumentException(file + ": no challenge keys in file");
        return KeySet.of(keys);
    }

    private void write() {
        StringBuilder sb = new StringBuilder("# Bulwark challenge signing keys, current first. Keep secret.\n");
        for (Key k : set.keys()) {
            sb.append(Integer.toHexString(k.id())).append(' ').append(k.createdAtMillis()).append(' ')
              .append(Base64.getEncoder().encodeToString(k.secretUnsafe())).append('\n');
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".challenge-keys", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: rely on the data directory's permissions
            }
            Files.writeString(tmp, sb, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write challenge keys to " + file, e);
        }
    }
}
