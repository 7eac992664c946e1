package dev.bulwark.server.runtime;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.config.ConfigProblem;
import dev.bulwark.core.config.ConfigValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Re-reads the config file and hands a fully valid config to the running node. SIGHUP,
 * {@code POST /-/reload} and configs published by the control plane ({@link #apply}) all end
 * here; they are serialized so two never interleave.
 * A file that does not load, or a config the node cannot apply, is refused with its
 * problems and the running config (and its version number) stays as it was.
 */
public final class ConfigReloader {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    /** Whatever applies a new config (the edge, the access log); throws to refuse it. */
    @FunctionalInterface
    public interface Target {
        void apply(BulwarkConfig next) throws Exception;
    }

    private final Path file;
    private final Target target;
    private volatile BulwarkConfig current;
    private volatile long version = 1;

    /** {@code file} may be null when the config was built from flags (demo, proxy). */
    public ConfigReloader(Path file, BulwarkConfig initial, Target target) {
        this.file = file;
        this.current = Objects.requireNonNull(initial, "initial");
        this.target = Objects.requireNonNull(target, "target");
    }

    public synchronized ReloadOutcome reload() {
        if (file == null) {
            return new ReloadOutcome.Refused(version, List.of(new ConfigProblem("(flags)", 0, 0, null,
                    "this instance was started without a config file; there is nothing to reload")), true);
        }
        BulwarkConfig next;
        try {
            next = ConfigLoader.load(file);
        } catch (ConfigException e) {
            log.error("config reload refused, version {} keeps running:\n{}", version, e.getMessage());
            return new ReloadOutcome.Refused(version, e.problems(), false);
        }
        if (!java.util.Objects.equals(next.cluster(), current.cluster())) {
            log.warn("the cluster section changed; the node joins another fleet only on restart");
        }
        return applyLoaded(next, file.toString());
    }

    /**
     * Applies a config that did not come from the file (the control plane publishing a
     * snapshot from its store). It is validated like a file; {@code source} names it in
     * problems and logs. A later file reload replaces it.
     */
    public synchronized ReloadOutcome apply(BulwarkConfig next, String source) {
        List<ConfigValidator.Issue> issues = new ConfigValidator().validate(next);
        if (!issues.isEmpty()) {
            List<ConfigProblem> problems = issues.stream().map(i -> new ConfigProblem(source, 0, 0, i.path(), i.reason())).toList();
            log.error("config from {} refused, version {} keeps running: {}", source, version, problems);
            return new ReloadOutcome.Refused(version, problems, false);
        }
        return applyLoaded(next, source);
    }

    private ReloadOutcome applyLoaded(BulwarkConfig next, String source) {
        if (!next.admin().address().equals(current.admin().address())) {
            log.warn("admin.address changed to {}; the admin listener moves only on restart", next.admin().address());
        }
        try {
            target.apply(next);
        } catch (Exception e) {
            String reason = "valid, but could not be applied: " + e.getMessage();
            log.error("config reload refused, version {} keeps running: {}", version, reason, e);
            return new ReloadOutcome.Refused(version, List.of(new ConfigProblem(source, 0, 0, null, reason)), false);
        }
        current = next;
        version++;
        log.info("config {} applied as version {} ({} zones)", source, version, next.zones().size());
        return new ReloadOutcome.Applied(version, source);
    }

    public BulwarkConfig current() { return current; }

    public long version() { return version; }

    /** The file reloads read, or null. */
    public Path file() { return file; }
}
