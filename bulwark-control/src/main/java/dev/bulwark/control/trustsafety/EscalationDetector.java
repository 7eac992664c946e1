package dev.bulwark.control.trustsafety;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a zone's abuse reports are escalating. For each window (1 h, 24 h, 48 h) it
 * compares the severity-weighted score of the reports in the window with the zone's own history:
 * the score of the {@code lookback} period before the window, scaled to the window's length.
 * An alert is due when the score reaches {@code minScore} (so a quiet zone's first single
 * harassment report is not an emergency, while one threat to life is) and is at least
 * {@code factor} times that baseline (a zone that always draws reports must rise above its own
 * normal). A zone without history has the baseline {@code floor}.
 *
 * <p>Pure: the caller passes the zone's reports and the time; suppression of repeats (one alert
 * per zone and window while the window is still open) is the caller's, from the stored alerts.
 */
public final class EscalationDetector {
    /** Tunables; {@link #defaults()} suits a provider-wide queue. */
    public record Settings(List<Duration> windows, Duration lookback, double factor, double minScore, double floor) {
        public static Settings defaults() {
            return new Settings(List.of(Duration.ofHours(1), Duration.ofHours(24), Duration.ofHours(48)), Duration.ofDays(14), 3.0, 100, 10);
        }
    }

    /** What the detector found for one window (whether or not it is an alert). */
    public record Finding(Duration window, int reports, double score, double baseline, String trend, boolean alert) {}

    private final Settings settings;

    public EscalationDetector(Settings settings) { this.settings = settings; }

    /** The history the detector needs: reports received at or after this time. */
    public long historySince(long now) {
        Duration longest = settings.windows().stream().max(Duration::compareTo).orElseThrow();
        return now - longest.toMillis() - settings.lookback().toMillis();
    }

    /** One finding per window for {@code reports} (one zone's, any order) at time {@code now}. */
    public List<Finding> evaluate(List<AbuseReport> reports, long now) {
        List<Finding> out = new ArrayList<>();
        for (Duration w : settings.windows()) {
            long ms = w.toMillis();
            long start = now - ms;
            long histStart = start - settings.lookback().toMillis();
            int count = 0;
            double score = 0, firstHalf = 0, secondHalf = 0, history = 0;
            for (AbuseReport r : reports) {
                long t = r.receivedAt();
                int weight = r.category().weight();
                if (t > start && t <= now) {
                    count++;
                    score += weight;
                    if (t <= start + ms / 2) firstHalf += weight;
                    else secondHalf += weight;
                } else if (t > histStart && t <= start) {
                    history += weight;
                }
            }
            double baseline = Math.max(settings.floor(), history * ms / (double) settings.lookback().toMillis());
            boolean alert = score >= settings.minScore() && score >= settings.factor() * baseline;
            out.add(new Finding(w, count, score, baseline, trend(firstHalf, secondHalf), alert));
        }
        return out;
    }

    static String trend(double firstHalf, double secondHalf) {
        if (secondHalf > firstHalf * 1.5) return "rising";
        if (firstHalf > secondHalf * 1.5) return "falling";
        return "steady";
    }

    /** Window names as the API writes them: 1h, 24h, 48h. */
    public static String name(Duration w) {
        return w.toMinutes() % 60 == 0 ? w.toHours() + "h" : w.toMinutes() + "m";
    }

    static String summary(String zone, Finding f) {
        return String.format(Locale.ROOT, "zone %s: %d reports in the last %s, severity score %.0f against a usual %.1f (%.1fx), %s",
                zone, f.reports(), name(f.window()), f.score(), f.baseline(), f.score() / f.baseline(), f.trend());
    }
}
