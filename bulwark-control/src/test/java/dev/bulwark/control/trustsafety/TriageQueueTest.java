package dev.bulwark.control.trustsafety;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bulwark.control.trustsafety.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

class TriageQueueTest {
    @Test
    void threatsToLifeComeFirstWhateverTheirAgeOrNumber() {
        List<AbuseReport> in = List.of(
                report("shop", Category.COPYRIGHT, "https://shop.example/a", 1_000),
                report("shop", Category.COPYRIGHT, "https://shop.example/a", 2_000),
                report("shop", Category.COPYRIGHT, "https://shop.example/a", 3_000),
                report("forum", Category.HARASSMENT, "https://forum.example/t/1", 500),
                report("forum", Category.THREAT_TO_LIFE, "https://forum.example/t/9", 9_000),
                report("blog", Category.CSAM, "https://blog.example/x", 8_000));
        List<TriageQueue.Group> q = TriageQueue.order(in);
        assertThat(q).extracting(TriageQueue.Group::severest)
                .containsExactly(Category.THREAT_TO_LIFE, Category.CSAM, Category.HARASSMENT, Category.COPYRIGHT);
        assertThat(q.get(3).reports()).hasSize(3);
    }

    @Test
    void reportsAboutTheSameZoneAndUrlAreOneGroupHeadedByTheirWorstCategory() {
        List<AbuseReport> in = List.of(
                report("forum", Category.HARASSMENT, "https://forum.example/t/1", 1_000),
                report("forum", Category.DOXXING, "https://FORUM.example/t/1/", 2_000),
                report("forum", Category.HARASSMENT, "https://forum.example/t/1#reply-3", 3_000),
                report("forum", Category.HARASSMENT, "https://forum.example/t/2", 4_000));
        List<TriageQueue.Group> q = TriageQueue.order(in);
        assertThat(q).hasSize(2);
        assertThat(q.get(0).url()).isEqualTo("https://forum.example/t/1");
        assertThat(q.get(0).severest()).isEqualTo(Category.DOXXING);
        assertThat(q.get(0).reports()).hasSize(3);
        assertThat(q.get(0).oldest()).isEqualTo(1_000);
        assertThat(q.get(0).newest()).isEqualTo(3_000);
    }

    @Test
    void equalSeverityAndSizeWaitsLongestFirstAndClosedReportsAreLeftOut() {
        AbuseReport closed = report("a", Category.THREAT_TO_LIFE, "https://a.example/", 1).withStatus(ReportStatus.CLOSED, 2);
        List<TriageQueue.Group> q = TriageQueue.order(List.of(
                report("b", Category.PHISHING, "https://b.example/login", 5_000),
                report("c", Category.MALWARE, "https://c.example/x.exe", 4_000),
                closed));
        assertThat(q).extracting(TriageQueue.Group::zoneId).containsExactly("b", "c");
        assertThat(TriageQueue.order(List.of(
                report("b", Category.PHISHING, "https://b.example/login", 5_000),
                report("c", Category.PHISHING, "https://c.example/login", 4_000)))).extracting(TriageQueue.Group::zoneId).containsExactly("c", "b");
    }
}
