package dev.bulwark.core.limit;

import dev.bulwark.core.request.RequestFacts;

/**
 * Whether a request is one a rule applies to. Rate-limit rules take their optional
 * {@code expression} through a {@code Function<String, RequestMatcher>} so the firewall rules
 * compiler can be plugged in without this package depending on it.
 */
@FunctionalInterface
public interface RequestMatcher {
    boolean matches(RequestFacts request);

    RequestMatcher ALL = r -> true;
}
