package dev.bulwark.control.trustsafety;

import dev.bulwark.core.config.EnforcementConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EnforcementStateTest {
    private static EnforcementAction action(ActionType type, long appliedAt, String reason, List<String> urls) {
        return new EnforcementAction("act_" + appliedAt, "z", type, urls, reason, false, "https://s.example/" + appliedAt, List.of(),
                EnforcementAction.Status.PROPOSED, "a", "a", appliedAt, null, null, null, null, null, null, null)
                .applied("b", "b", appliedAt, null, List.of());
    }

    @Test
    void noActionsMeansActive() {
        EnforcementConfig e = EnforcementState.derive(List.of(), "https://abuse.example/abuse", id -> "https://abuse.example/appeal/" + id);
        assertThat(e.status()).isEqualTo(EnforcementConfig.Status.ACTIVE);
        assertThat(e.reportUrl()).isEqualTo("https://abuse.example/abuse");
        assertThat(e.appealUrl()).as("nothing to appeal").isNull();
    }

    @Test
    void theMostSevereAppliedActionWinsWhateverItsAge() {
        EnforcementConfig e = EnforcementState.derive(List.of(
                action(ActionType.TERMINATE, 1_000, "threats", List.of()),
                action(ActionType.WARN, 2_000, "later warning", List.of())), null, id -> null);
        assertThat(e.status()).isEqualTo(EnforcementConfig.Status.TERMINATED);
        assertThat(e.reason()).isEqualTo("threats");
        assertThat(e.statementUrl()).isEqualTo("https://s.example/1000");
        assertThat(e.since()).isEqualTo("1970-01-01T00:00:01Z");
        assertThat(e.appealUrl()).as("no public address known").isNull();
    }

    @Test
    void reversedActionsNoLongerCountAndBlockedUrlsBecomePaths() {
        EnforcementAction terminate = action(ActionType.TERMINATE, 1_000, "threats", List.of()).reversed("c", 5_000);
        EnforcementConfig e = EnforcementState.derive(List.of(terminate,
                action(ActionType.RESTRICT, 2_000, "bots", List.of()),
                action(ActionType.BLOCK_URLS, 3_000, "doxxing", List.of("https://z.example/t/1?x=1", "https://z.example/leaks/*"))), null, id -> null);
        assertThat(e.status()).isEqualTo(EnforcementConfig.Status.RESTRICTED);
        assertThat(e.blockedUrls()).extracting(EnforcementConfig.BlockedUrl::path).containsExactly("/t/1", "/leaks/*");
        assertThat(e.blocked("/leaks/2024/list").reason()).isEqualTo("doxxing");
    }

    @Test
    void eachNoticeLinksTheAppealFormOfTheActionItShows() {
        EnforcementConfig e = EnforcementState.derive(List.of(
                action(ActionType.WARN, 1_000, "warning", List.of()),
                action(ActionType.TERMINATE, 2_000, "threats", List.of()),
                action(ActionType.BLOCK_URLS, 3_000, "doxxing", List.of("https://z.example/leaks/*"))),
                null, id -> "https://abuse.example/appeal/" + id);
        assertThat(e.appealUrl()).isEqualTo("https://abuse.example/appeal/act_2000");
        assertThat(e.blocked("/leaks/1").appealUrl()).isEqualTo("https://abuse.example/appeal/act_3000");
    }
}
