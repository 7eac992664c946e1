package dev.bulwark.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/** Parses durations written as {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}, or ISO-8601. */
public final class Durations {
    private Durations() {}

    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("p")) return Duration.parse(text.trim());
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)))) i++;
        if (i == 0) throw new IllegalArgumentException("duration '" + text + "' must start with a number");
        long n = Long.parseLong(s.substring(0, i));
        return switch (s.substring(i).trim()) {
            case "ms" -> Duration.ofMillis(n);
            case "s", "" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("unknown duration unit in '" + text + "' (use ms, s, m, h, d)");
        };
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) return ms / 86_400_000 + "d";
        if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }

    static final class Deserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) return Duration.ofSeconds(p.getLongValue());
            try {
                return parse(p.getValueAsString());
            } catch (RuntimeException e) {
                return (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getValueAsString(), e.getMessage());
            }
        }
    }
}
