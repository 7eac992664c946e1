package dev.bulwark.server.runtime;

import dev.bulwark.core.config.ConfigProblem;

import java.util.List;

/** What a reload did: applied as a new version, or refused with every problem while the old config runs on. */
public sealed interface ReloadOutcome {
    record Applied(long version, String source) implements ReloadOutcome {}

    /** {@code noSource}: the instance was started without a config file, so there is nothing to re-read. */
    record Refused(long runningVersion, List<ConfigProblem> problems, boolean noSource) implements ReloadOutcome {
        public Refused {
            problems = List.copyOf(problems);
        }
    }
}
