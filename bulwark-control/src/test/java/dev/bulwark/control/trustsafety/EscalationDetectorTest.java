package dev.bulwark.control.trustsafety;

import dev.bulwark.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.bulwark.control.trustsafety.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

class EscalationDetectorTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private final EscalationDetector detector = new EscalationDetector(EscalationDetector.Settings.defaults());

    private EscalationDetector.Finding window(List<EscalationDetector.Finding> fs, int hours) {
        return fs.stream().filter(f -> f.window().equals(Duration.ofHours(hours))).findFirst().orElseThrow();
    }

    @Test
    void aQuietZoneWithAFewHarassmentReportsDoesNotAlert() {
        long now = clock.currentTimeMillis();
        List<AbuseReport> rs = List.of(report("z", Category.HARASSMENT, "https://z/1", now - 2 * HOUR),
                report("z", Category.HARASSMENT, "https://z/2", now - 30 * HOUR));
        assertThat(detector.evaluate(rs, now)).noneMatch(EscalationDetector.Finding::alert);
    }

    @Test
    void oneThreatToLifeOnAQuietZoneAlertsInEveryWindow() {
        long now = clock.currentTimeMillis();
        List<EscalationDetector.Finding> fs = detector.evaluate(List.of(report("z", Category.THREAT_TO_LIFE, "https://z/", now - 10 * 60_000)), now);
        assertThat(fs).allMatch(EscalationDetector.Finding::alert);
        assertThat(window(fs, 1).score()).isEqualTo(100);
        assertThat(window(fs, 1).baseline()).isEqualTo(10);
    }

    @Test
    void theThresholdIsTheZonesOwnHistoryNotAFixedNumber() {
        // a large forum that always draws about two harassment reports an hour
        long now = clock.currentTimeMillis();
        List<AbuseReport> history = new ArrayList<>();
        for (long t = now - 14 * 24 * HOUR; t < now - 48 * HOUR; t += HOUR / 2) history.add(report("big", Category.HARASSMENT, "https://big/", t));
        List<AbuseReport> usual = new ArrayList<>(history);
        for (long t = now - 48 * HOUR + 1; t <= now; t += HOUR / 2) usual.add(report("big", Category.HARASSMENT, "https://big/", t));
        assertThat(detector.evaluate(usual, now)).noneMatch(EscalationDetector.Finding::alert);

        // the same volume made of threats is an escalation: score 100 per report against a usual 30
        List<AbuseReport> threats = new ArrayList<>(history);
        for (long t = now - 2 * HOUR + 1; t <= now; t += HOUR / 2) threats.add(report("big", Category.THREAT_TO_LIFE, "https://big/", t));
        List<EscalationDetector.Finding> fs = detector.evaluate(threats, now);
        EscalationDetector.Finding hour = window(fs, 1);
        assertThat(hour.alert()).isTrue();
        assertThat(hour.baseline()).isBetween(45.0, 65.0); // about 2 reports an hour x 30
        assertThat(hour.score()).isEqualTo(200);
    }

    @Test
    void justBelowAndAtTheFactor() {
        long now = clock.currentTimeMillis();
        EscalationDetector d = new EscalationDetector(new EscalationDetector.Settings(List.of(Duration.ofHours(1)), Duration.ofHours(10), 3.0, 100, 10));
        // history: 10 doxxing reports (600) over the 10 h before the window -> baseline 60/h; alert needs >= 180
        List<AbuseReport> base = new ArrayList<>();
        for (int i = 0; i < 10; i++) base.add(report("z", Category.DOXXING, "https://z/", now - 2 * HOUR - i * (HOUR - 1)));
        List<AbuseReport> below = new ArrayList<>(base);
        for (int i = 0; i < 2; i++) below.add(report("z", Category.DOXXING, "https://z/", now - i * 1000)); // 120
        below.add(report("z", Category.HARASSMENT, "https://z/", now - 5000)); // 150
        assertThat(d.evaluate(below, now).get(0).alert()).isFalse();
        List<AbuseReport> at = new ArrayList<>(below);
        at.add(report("z", Category.HARASSMENT, "https://z/", now - 6000)); // 180
        assertThat(d.evaluate(at, now).get(0).alert()).isTrue();
    }

    @Test
    void trendComparesTheHalvesOfTheWindow() {
        long now = clock.currentTimeMillis();
        List<AbuseReport> rising = List.of(report("z", Category.HARASSMENT, "https://z/", now - 40 * HOUR),
                report("z", Category.THREAT_TO_LIFE, "https://z/", now - HOUR), report("z", Category.THREAT_TO_LIFE, "https://z/", now - 2 * HOUR));
        assertThat(window(detector.evaluate(rising, now), 48).trend()).isEqualTo("rising");
        List<AbuseReport> falling = List.of(report("z", Category.THREAT_TO_LIFE, "https://z/", now - 40 * HOUR),
                report("z", Category.HARASSMENT, "https://z/", now - HOUR));
        assertThat(window(detector.evaluate(falling, now), 48).trend()).isEqualTo("falling");
        assertThat(EscalationDetector.trend(50, 60)).isEqualTo("steady");
    }

    @Test
    void reportsLeaveTheWindowAsTheClockMoves() {
        long t0 = clock.currentTimeMillis();
        List<AbuseReport> rs = List.of(report("z", Category.THREAT_TO_LIFE, "https://z/", t0));
        assertThat(window(detector.evaluate(rs, clock.currentTimeMillis()), 1).alert()).isTrue();
        clock.advance(Duration.ofMinutes(61));
        assertThat(window(detector.evaluate(rs, clock.currentTimeMillis()), 1).alert()).isFalse();
        assertThat(window(detector.evaluate(rs, clock.currentTimeMillis()), 24).alert()).isTrue();
        clock.advance(Duration.ofHours(48));
        assertThat(detector.evaluate(rs, clock.currentTimeMillis())).noneMatch(EscalationDetector.Finding::alert);
    }
}
