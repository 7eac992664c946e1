package dev.bulwark.control.trustsafety;

import dev.bulwark.control.api.ApiException;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.auth.Role;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwoPersonRuleTest {
    static Principal op(String id, Role role, String... zones) {
        return new Principal(id, id, role, "tok-" + id, Set.of(), zones.length == 0, Set.of(zones));
    }

    static EnforcementAction proposedBy(String operator) {
        return new EnforcementAction("act_1", "forum", ActionType.TERMINATE, List.of(), "threats", false, "https://x.example/s",
                List.of("rep_1"), EnforcementAction.Status.PROPOSED, operator, operator, 1, null, null, null, null, null, null, null);
    }

    @Test
    void theProposerCannotApproveTheirOwnTermination() {
        assertThatThrownBy(() -> TwoPersonRule.checkMayApprove(op("alice", Role.TRUST_SAFETY), proposedBy("alice")))
                .isInstanceOf(ApiException.class).hasMessageContaining("cannot approve")
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(403));
    }

    @Test
    void aSecondTrustAndSafetyOperatorCanApprove() {
        TwoPersonRule.checkMayApprove(op("bob", Role.TRUST_SAFETY), proposedBy("alice"));
    }

    @Test
    void aViewerCanNeitherProposeNorApprove() {
        Principal viewer = op("victor", Role.VIEWER);
        assertThat(TwoPersonRule.mayAct(viewer)).isFalse();
        assertThatThrownBy(() -> TwoPersonRule.checkMayAct(viewer, "forum")).isInstanceOf(ApiException.class).hasMessageContaining("trust_safety");
        assertThatThrownBy(() -> TwoPersonRule.checkMayApprove(viewer, proposedBy("alice"))).isInstanceOf(ApiException.class);
    }

    @Test
    void anOperatorScopedToOtherZonesCannotAct() {
        assertThatThrownBy(() -> TwoPersonRule.checkMayApprove(op("bob", Role.TRUST_SAFETY, "shop"), proposedBy("alice")))
                .isInstanceOf(ApiException.class).hasMessageContaining("not scoped to zone 'forum'");
    }

    @Test
    void onlyAProposedActionCanBeApproved() {
        EnforcementAction applied = proposedBy("alice").applied("bob", "bob", 2, null, List.of());
        assertThatThrownBy(() -> TwoPersonRule.checkMayApprove(op("carol", Role.TRUST_SAFETY), applied))
                .isInstanceOf(ApiException.class).satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(409));
    }
}
