package dev.bulwark.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Function;

/** Parses sizes written as {@code 32768}, {@code 32KiB}, {@code 8k}, {@code 1GiB}, {@code 10MB}. */
public final class ByteSize {
    private ByteSize() {}

    public static long parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        if (i == 0) throw new IllegalArgumentException("size '" + text + "' must start with a number");
        long n = Long.parseLong(s.substring(0, i));
        String unit = s.substring(i);
        long mult = switch (unit) {
            case "", "b" -> 1L;
            case "k", "kb", "kib" -> 1L << 10;
            case "m", "mb", "mib" -> 1L << 20;
            case "g", "gb", "gib" -> 1L << 30;
            case "t", "tb", "tib" -> 1L << 40;
            default -> throw new IllegalArgumentException("unknown size unit '" + unit + "' in '" + text + "' (use B, KiB, MiB, GiB)");
        };
        return Math.multiplyExact(n, mult);
    }

    /** Jackson deserializer accepting a number of bytes or a string with a unit. */
    public static final class Deserializer extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) return p.getLongValue();
            return fromText(p, ctxt, Long.class, ByteSize::parse);
        }
    }

    /** Parses a rate written {@code 1KiB/s} (or a size, read as per second) into bytes per second. */
    public static long parseRate(String text) {
        String s = text.trim();
        if (s.toLowerCase(Locale.ROOT).endsWith("/s")) s = s.substring(0, s.length() - 2);
        return parse(s);
    }

    /** Jackson deserializer for rates: a number of bytes per second, {@code 1KiB/s} or {@code 1KiB}. */
    public static final class RateDeserializer extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) return p.getLongValue();
            return fromText(p, ctxt, Long.class, ByteSize::parseRate);
        }
    }

    /** Same, for int-sized fields. */
    public static final class IntDeserializer extends JsonDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) return p.getIntValue();
            return fromText(p, ctxt, Integer.class, text -> Math.toIntExact(parse(text)));
        }
    }

    /** The value of a string token, or Jackson's error for it (with the reason) when it does not parse. */
    private static <T> T fromText(JsonParser p, DeserializationContext ctxt, Class<T> type, Function<String, T> parser) throws IOException {
        String text = p.getValueAsString();
        try {
            return parser.apply(text);
        } catch (RuntimeException e) {
            return type.cast(ctxt.handleWeirdStringValue(type, text, e.getMessage()));
        }
    }
}
