package dev.bulwark.control.trustsafety;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.store.TestDatabases;
import dev.bulwark.core.config.EnforcementConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only an enforcement decision changes a zone's enforcement: replacing the zone without it,
 * rolling back to before the termination, or deleting and re-creating a (restricted) zone keeps it.
 */
class EnforcementGuardTest {
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backends() { return TestDatabases.backends(); }

    private static EnforcementConfig enforcement(TsFixture f) {
        return f.bus.latest().config().zones().stream().filter(z -> z.id().equals("forum")).findFirst().orElseThrow().enforcement();
    }

    private static ObjectNode plainForum() { return plain("forum", "forum.example", "*.forum.example"); }

    /** The zone's document as its owner would send it: no enforcement section. */
    private static ObjectNode plain(String id, String... hostnames) {
        ObjectNode z = Canonical.JSON.createObjectNode();
        z.put("id", id);
        if (hostnames.length == 0) z.putArray("hostnames").add(id + ".example");
        else java.util.Arrays.stream(hostnames).forEach(z.putArray("hostnames")::add);
        z.putObject("origins").putArray("servers").addObject().put("url", "http://127.0.0.1:9");
        return z;
    }

    /** Zone forum terminated over a threat report, proposed by alice and approved by bob; returns the action. */
    private static EnforcementAction terminateForum(TsFixture f) {
        AbuseReport threat = f.report("threat_to_life", "https://forum.example/t/9");
        EnforcementAction p = f.ts.act(f.alice, new ActionRequest("forum", "terminate", null, "Threats against named people.", false,
                "https://bulwark.example/statements/forum", List.of(threat.id())));
        f.ts.approve(f.bob, p.id());
        return p;
    }

    /** The forum's notice as a version from before notices carried the appeal link stored it. */
    private static void dropAppealLink(TsFixture f) {
        f.store.editZone("owner", "forum", "enforcement.legacy", "as stored by an older version", z -> {
            ((ObjectNode) z.get("enforcement")).remove("appeal_url");
            return "enforcement";
        });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void ordinaryConfigChangesCannotLiftATermination(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            long before = f.store.latestVersion();
            terminateForum(f);
            assertThat(enforcement(f).terminated()).isTrue();

            f.store.replaceZone("owner", "forum", plainForum(), "owner replaces the zone without its enforcement");
            assertThat(enforcement(f).terminated()).isTrue();
            assertThat(enforcement(f).statementUrl()).isEqualTo("https://bulwark.example/statements/forum");

            f.store.rollback("owner", before, "back to before the termination");
            assertThat(enforcement(f).terminated()).isTrue();

            // a zone trust and safety never acted on keeps whatever its config says
            f.store.replaceZone("owner", "shop", plain("shop"), null);
            assertThat(f.bus.latest().config().zones().stream().filter(z -> z.id().equals("shop")).findFirst().orElseThrow()
                    .enforcement().status()).isEqualTo(EnforcementConfig.Status.ACTIVE);

            // a terminated zone stays (EnforcedHostnames); a restricted one may go and come back under its id
            AbuseReport spam = f.report("phishing", "https://shop.example/login");
            f.ts.act(f.alice, new ActionRequest("shop", "restrict", null, "Phishing kit on the login page.", false, null, List.of(spam.id())));
            f.store.deleteZone("owner", "shop", null);
            f.store.createZone("owner", plain("shop"), null);
            assertThat(f.bus.latest().config().zones().stream().filter(z -> z.id().equals("shop")).findFirst().orElseThrow()
                    .enforcement().status()).as("re-created under the same id").isEqualTo(EnforcementConfig.Status.RESTRICTED);
            f.ts.restore(f.carol, "shop", null, "kit removed");

            // the decision on the record lifts it; afterwards ordinary edits stay ordinary
            f.ts.restore(f.carol, "forum", null, "reviewed");
            assertThat(enforcement(f).terminated()).isFalse();
            f.store.replaceZone("owner", "forum", plainForum(), null);
            assertThat(enforcement(f).status()).isEqualTo(EnforcementConfig.Status.ACTIVE);
            assertThat(f.verify().intact()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void movedFormsAndMissingAppealLinksAreStampedAfterTheNextConfigChangeAnywhere(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            EnforcementAction p = terminateForum(f);
            assertThat(enforcement(f).reportUrl()).isEqualTo("https://abuse.bulwark.example/abuse");
            assertThat(enforcement(f).appealUrl()).isEqualTo("https://abuse.bulwark.example/appeal/" + p.id());

            TrustSafety.Settings s = f.ts.settings();
            f.ts.settings(new TrustSafety.Settings("https://moved.bulwark.example", s.escalation(), s.deliveryInterval(),
                    s.formDifficulty(), s.puzzleTtl(), s.proposalTtl(), s.teamContact()));
            f.store.replaceZone("owner", "shop", plain("shop"), "an edit of another zone");
            assertThat(enforcement(f).reportUrl()).isEqualTo("https://moved.bulwark.example/abuse");
            assertThat(enforcement(f).appealUrl()).isEqualTo("https://moved.bulwark.example/appeal/" + p.id());
            assertThat(enforcement(f).terminated()).isTrue();

            // a notice stored before notices carried the appeal link gets it with the next change too
            dropAppealLink(f);
            assertThat(enforcement(f).appealUrl()).isNull();
            f.store.replaceZone("owner", "shop", plain("shop", "shop.example", "www.shop.example"), "another edit of another zone");
            assertThat(enforcement(f).appealUrl()).isEqualTo("https://moved.bulwark.example/appeal/" + p.id());

            // an id is a path segment of the link, whatever it holds
            assertThat(f.ts.appealFormUrl("act_a b/<c>?")).isEqualTo("https://moved.bulwark.example/appeal/act_a%20b%2F%3Cc%3E%3F");
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void staleNoticeLinksAreRefreshedWhenTheControlPlaneStartsServing(TestDatabases.Backend backend) {
        try (TsFixture f = new TsFixture(backend)) {
            EnforcementAction p = terminateForum(f);
            dropAppealLink(f);
            assertThat(enforcement(f).appealUrl()).isNull();
            long before = f.store.latestVersion();

            assertThat(f.ts.refreshNoticeLinks()).isEqualTo(1);
            assertThat(enforcement(f).appealUrl()).isEqualTo("https://abuse.bulwark.example/appeal/" + p.id());
            assertThat(enforcement(f).terminated()).isTrue();
            assertThat(f.store.latestVersion()).isEqualTo(before + 1);

            assertThat(f.ts.refreshNoticeLinks()).as("nothing stale: no new version").isZero();
            assertThat(f.store.latestVersion()).isEqualTo(before + 1);
            assertThat(f.verify().intact()).isTrue();
        }
    }
}
