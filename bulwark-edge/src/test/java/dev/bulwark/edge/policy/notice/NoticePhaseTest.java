package dev.bulwark.edge.policy.notice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The notice page as rendered: the appeal link for the site owner, escaped, and none when the form is unknown. */
class NoticePhaseTest {
    private static final String APPEAL = "https://control.example/appeal/act_0123abcd";

    @Test
    void thePageTellsTheSiteOwnerWhereToAppeal() {
        String page = NoticePhase.html(403, "This site is no longer served", "Spam.", null, null, APPEAL, "00ff");
        assertThat(page).contains("Site owner? You can appeal this decision: <a href=\"" + APPEAL + "\">");
    }

    @Test
    void withoutAKnownAppealFormThePageHasNoAppealLink() {
        String page = NoticePhase.html(403, "This site is no longer served", "Spam.", null, null, null, "00ff");
        assertThat(page).doesNotContain("appeal");
    }

    @Test
    void theAppealLinkIsEscaped() {
        String hostile = "https://control.example/appeal/a\"><script>alert(1)</script>&x='";
        String page = NoticePhase.html(451, "This page is not available", "Court order.", null, null, hostile, "00ff");
        assertThat(page).doesNotContain("<script>").doesNotContain("a\">")
                .contains("href=\"https://control.example/appeal/a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;x=&#39;\"");
    }

    @Test
    void jsonClientsGetTheAppealUrlToo() throws Exception {
        JsonNode j = new ObjectMapper().readTree(NoticePhase.json(403, "t", "r", false, null, null, APPEAL, "00ff"));
        assertThat(j.get("appeal_url").asText()).isEqualTo(APPEAL);
        assertThat(new ObjectMapper().readTree(NoticePhase.json(403, "t", "r", false, null, null, null, "00ff")).get("appeal_url").isNull()).isTrue();
    }
}
