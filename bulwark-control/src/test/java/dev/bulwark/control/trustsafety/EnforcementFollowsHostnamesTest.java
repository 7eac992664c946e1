package dev.bulwark.control.trustsafety;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.EnforcementConfig;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.config.ZoneConfig;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Enforcement sticks to the site's hostnames, not only the zone id: a terminated customer cannot
 * serve the site again from a new zone, a wildcard or a neighbouring zone, nor take the notice
 * down; each attempt is refused (409) in the change's own transaction, naming the hostname and the
 * action, and leaves the store as it was. Only a restore (or an upheld appeal) frees the hostnames.
 */
class EnforcementFollowsHostnamesTest {
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backends() { return TestDatabases.backends(); }

    private static ObjectNode zone(String id, String... hostnames) {
        ObjectNode z = Canonical.JSON.createObjectNode();
        z.put("id", id);
        Arrays.stream(hostnames).forEach(z.putArray("hostnames")::add);
        z.putObject("origins").putArray("servers").addObject().put("url", "http://127.0.0.1:9");
        return z;
    }

    private static ZoneConfig parsed(ObjectNode zone) {
        try {
            return ConfigLoader.mapper().treeToValue(zone, ZoneConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EnforcementAction terminate(TsFixture f) {
        AbuseReport threat = f.report("threat_to_life", "https://forum.example/t/9");
        EnforcementAction p = f.ts.act(f.alice, new ActionRequest("forum", "terminate", null, "Threats against named people.", false,
                "https://bulwark.example/statements/forum", List.of(threat.id())));
        return f.ts.approve(f.bob, p.id());
    }

    /** The change is refused with 409 naming the action and {@code hostname}, and the store holds what it held. */
    private static void refused(TsFixture f, EnforcementAction a, String hostname, ThrowableAssert.ThrowingCallable change) {
        long version = f.store.latestVersion();
        long audit = f.count("audit_entry");
        assertThatThrownBy(change).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.kind()).isEqualTo(StoreException.Kind.CONFLICT);
            assertThat(e.getMessage()).contains("'" + hostname + "'").contains(a.id());
        });
        assertThat(f.store.latestVersion()).isEqualTo(version);
        assertThat(f.count("audit_entry")).isEqualTo(audit);
    }

    private static EnforcementConfig.Status status(TsFixture f, String zone) {
        return f.bus.latest().config().zones().stream().filter(z -> z.id().equals(zone)).findFirst().orElseThrow().enforcement().status();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aTerminatedSiteCannotBeServedFromAnotherZoneNorLoseItsNotice(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            EnforcementAction t = terminate(f);
            assertThat(t.hostnames()).containsExactly("forum.example", "*.forum.example");

            refused(f, t, "forum.example", () -> f.store.createZone("owner", zone("forum2", "forum.example"), null));
            refused(f, t, "forum.example", () -> f.store.createZone("owner", zone("forum2", "*.example"), null));
            refused(f, t, "*.forum.example", () -> f.store.createZone("owner", zone("forum2", "*.forum.example"), null));
            refused(f, t, "www.forum.example", () -> f.store.createZone("owner", zone("forum2", "www.forum.example"), null));
            // a neighbouring zone taking the name, in the same change that drops it from the terminated zone
            refused(f, t, "forum.example", () -> f.store.importConfig("owner", new BulwarkConfig(null, null, Map.of(), List.of(
                    parsed(zone("forum", "*.forum.example")), parsed(zone("shop", "shop.example", "forum.example")))), null));
            // the notice stays up: the zone cannot go nor lose the names it was terminated for
            refused(f, t, "forum.example", () -> f.store.deleteZone("owner", "forum", null));
            refused(f, t, "*.forum.example", () -> f.store.replaceZone("owner", "forum", zone("forum", "forum.example"), null));
            assertThat(status(f, "forum")).isEqualTo(EnforcementConfig.Status.TERMINATED);

            // what does not touch the site stays ordinary: a new site, the terminated zone gaining a name
            f.store.createZone("owner", zone("blog", "blog.example", "*.blog.example"), null);
            f.store.replaceZone("owner", "forum", zone("forum", "forum.example", "*.forum.example", "forum.example.org"), null);
            assertThat(status(f, "forum")).isEqualTo(EnforcementConfig.Status.TERMINATED);

            // rows stored before hostnames were recorded fall back to the zone's hostnames
            f.db.jdbi().useHandle(h -> h.createUpdate("UPDATE enforcement_action SET hostnames = NULL").execute());
            refused(f, t, "forum.example", () -> f.store.createZone("owner", zone("forum2", "forum.example"), null));

            // the decision on the record frees them
            f.ts.restore(f.carol, "forum", null, "appeal upheld by the ombudsman");
            f.store.deleteZone("owner", "forum", null);
            f.store.createZone("owner", zone("forum2", "forum.example", "*.forum.example"), null);
            assertThat(status(f, "forum2")).isEqualTo(EnforcementConfig.Status.ACTIVE);
            assertThat(f.verify().intact()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aRestrictionOrUrlBlockFollowsItsHostnamesEvenAfterTheZoneIsGone(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            // a wildcard zone of the same customer was there before: it may stay as long as it takes nothing over
            f.store.createZone("owner", zone("wide", "*.example"), null);
            AbuseReport phish = f.report("phishing", "https://shop.example/login");
            EnforcementAction r = f.ts.act(f.alice, new ActionRequest("shop", "restrict", null, "Phishing kit.", false, null, List.of(phish.id())));
            AbuseReport dox = f.report("doxxing", "https://forum.example/t/3");
            EnforcementAction b = f.ts.act(f.alice, new ActionRequest("forum", "block_urls", List.of("https://forum.example/t/3"),
                    "Personal address published.", false, null, List.of(dox.id())));
            assertThat(b.hostnames()).containsExactly("forum.example");

            f.store.replaceZone("owner", "wide", zone("wide", "*.example"), "unrelated edit of the old wildcard zone");
            // deleting the restricted zone would hand shop.example to the wildcard: refused
            refused(f, r, "shop.example", () -> f.store.deleteZone("owner", "shop", null));
            f.store.deleteZone("owner", "wide", null);
            f.store.deleteZone("owner", "shop", null); // now nothing else serves it: the site is simply gone
            refused(f, r, "shop.example", () -> f.store.createZone("owner", zone("shop2", "shop.example"), null));
            refused(f, r, "shop.example", () -> f.store.createZone("owner", zone("shop2", "*.example"), null));
            refused(f, b, "forum.example", () -> f.store.createZone("owner", zone("blog", "blog.example", "forum.example"), null));

            // a restore works on the deleted zone and frees its names; the URL block still binds forum.example
            f.ts.restore(f.carol, "shop", null, "kit removed");
            f.store.createZone("owner", zone("shop2", "shop.example"), null);
            assertThat(status(f, "shop2")).isEqualTo(EnforcementConfig.Status.ACTIVE);
            refused(f, b, "forum.example", () -> f.store.createZone("owner", zone("forum2", "forum.example"), null));
            // a warning changes no service and binds nothing
            AbuseReport spam = f.report("other", "https://shop.example/");
            f.ts.act(f.alice, new ActionRequest("shop2", "warn", null, "Spam complaints.", false, null, List.of(spam.id())));
            f.store.deleteZone("owner", "shop2", null);
            f.store.createZone("owner", zone("shop3", "shop.example"), null);
            assertThat(f.verify().intact()).isTrue();
        }
    }
}
