package dev.bulwark.edge.policy;

import dev.bulwark.core.config.EnforcementConfig;
import dev.bulwark.core.config.ZoneConfig;
import dev.bulwark.core.time.ManualClock;
import dev.bulwark.edge.Edge;
import dev.bulwark.edge.EdgeServices;
import dev.bulwark.edge.support.Configs;
import dev.bulwark.edge.support.RawHttp;
import dev.bulwark.edge.support.TestOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.bulwark.edge.policy.Zones.exchange;
import static dev.bulwark.edge.policy.Zones.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notice phase over real sockets: a terminated zone and blocked URLs are answered by the
 * edge with the notice (403, or 451 for legal reasons; HTML or JSON) and the origin receives
 * nothing; the rest of a zone with blocked URLs is served; the abuse path redirects to the form.
 */
class NoticePolicyTest {
    private static final String STATEMENT = "https://bulwark.example/statements/2026-11-forum";
    private static final String FORM = "https://abuse.bulwark.example/abuse";
    private static final String APPEAL = "https://abuse.bulwark.example/appeal/act_forum";
    private static final String APPEAL_LISTING = "https://abuse.bulwark.example/appeal/act_listing";

    private final ManualClock clock = new ManualClock(System.currentTimeMillis());
    private final List<String> log = new CopyOnWriteArrayList<>();
    private TestOrigin origin;
    private Edge edge;
    private InetSocketAddress http;
    private dev.bulwark.core.config.BulwarkConfig config;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        ZoneConfig forum = zone("forum", "forum.test").withEnforcement(new EnforcementConfig(EnforcementConfig.Status.TERMINATED,
                "This forum was used to organise threats against named people.", false, STATEMENT, "2026-11-23T18:00:00Z", null, FORM, APPEAL));
        ZoneConfig shop = zone("shop", "shop.test").withEnforcement(new EnforcementConfig(null, null, null, null, null,
                List.of(new EnforcementConfig.BlockedUrl("/listing/42", "Sale of counterfeit goods, removed on a court order.", true,
                                STATEMENT, "2026-11-20T09:00:00Z", APPEAL_LISTING),
                        new EnforcementConfig.BlockedUrl("/leaks/*", "Publication of personal information.", false, null, null, null)),
                null, null));
        ZoneConfig plain = zone("plain", "plain.test");
        config = Configs.create().http().zone(forum).zone(shop).zone(plain).build();
        edge = Edge.start(config,
                new EdgeServices(new SimpleMeterRegistry(), clock, log::add));
        http = edge.boundAddresses().get("http");
    }

    private ZoneConfig zone(String id, String host) {
        return Zones.zone(id, host, origin.url(), null, null, null, null);
    }

    @AfterEach
    void stop() {
        edge.close();
        origin.close();
    }

    @Test
    void aTerminatedZoneAnswersEveryRequestWithTheNoticeAndNothingReachesTheOrigin() throws Exception {
        for (String path : List.of("/", "/thread/1?page=2", "/static/app.js")) {
            RawHttp.Response r = get(http, "forum.test", path, "Accept: text/html");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.header("content-type")).startsWith("text/html");
            assertThat(r.header("bulwark-mitigated")).isEqualTo("notice");
            assertThat(r.header("cache-control")).isEqualTo("no-store");
            assertThat(r.body()).contains("This site is no longer served")
                    .contains("organise threats against named people")
                    .contains("23 November 2026")
                    .contains("href=\"" + STATEMENT + "\"")
                    .contains("Site owner? You can appeal this decision: <a href=\"" + APPEAL + "\">");
        }
        assertThat(exchange(http, "127.0.0.1", "POST", "forum.test", "/login").status()).isEqualTo(403);
        assertThat(origin.count()).isZero();
        await().until(() -> log.stream().filter(l -> l.contains("\"action\":\"noticed\"")).count() == 4);
        assertThat(log).allMatch(l -> l.contains("\"rule\":\"notice:terminated\""));
    }

    @Test
    void apiClientsGetJson() throws Exception {
        RawHttp.Response r = get(http, "forum.test", "/api/posts", "Accept: application/json");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.body()).contains("\"status\":403").contains("\"statement_url\":\"" + STATEMENT + "\"")
                .contains("\"since\":\"2026-11-23T18:00:00Z\"").contains("\"error\":\"forbidden\"")
                .contains("\"appeal_url\":\"" + APPEAL + "\"");
        assertThat(origin.count()).isZero();
    }

    @Test
    void blockedUrlsGetTheNoticeWhileTheRestOfTheZoneIsServed() throws Exception {
        RawHttp.Response legal = get(http, "shop.test", "/listing/42");
        assertThat(legal.status()).isEqualTo(451);
        assertThat(legal.header("link")).isEqualTo("<" + STATEMENT + ">; rel=\"blocked-by\"");
        assertThat(legal.body()).contains("This page is not available").contains("court order").contains("20 November 2026")
                .contains("<a href=\"" + APPEAL_LISTING + "\">");
        RawHttp.Response leak = get(http, "shop.test", "/leaks/people.csv");
        assertThat(leak.status()).isEqualTo(403);
        assertThat(leak.body()).as("no appeal form known for this block").doesNotContain("appeal");
        assertThat(origin.count()).isZero();

        assertThat(get(http, "shop.test", "/listing/43").status()).isEqualTo(200);
        assertThat(get(http, "shop.test", "/leaks").status()).isEqualTo(200);
        assertThat(origin.count()).isEqualTo(2);
    }

    @Test
    void theAbusePathRedirectsToTheFormEvenOnATerminatedZone() throws Exception {
        RawHttp.Response r = get(http, "forum.test", "/.well-known/bulwark/abuse");
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("location")).isEqualTo(FORM + "?url=http%3A%2F%2Fforum.test%2F");
        assertThat(get(http, "plain.test", "/.well-known/bulwark/abuse").status()).isEqualTo(404);
        assertThat(get(http, "plain.test", "/").status()).isEqualTo(200);
        assertThat(origin.count()).isEqualTo(1);
    }

    @Test
    void liftingTheTerminationThroughANewSnapshotServesTheSiteAgain() throws Exception {
        assertThat(get(http, "forum.test", "/").status()).isEqualTo(403);
        edge.apply(config.withZones(List.of(zone("forum", "forum.test"))));
        assertThat(get(http, "forum.test", "/").status()).isEqualTo(200);
        assertThat(origin.count()).isEqualTo(1);
    }
}
