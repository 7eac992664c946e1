package dev.bulwark.control.trustsafety;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A half-year of the transparency report, written {@code 2026-H2}: [from, to) in UTC epoch milliseconds. */
public record ReportPeriod(String name, long from, long to) {
    private static final Pattern FORM = Pattern.compile("(\\d{4})-H([12])");

    public static ReportPeriod parse(String s) {
        Matcher m = s == null ? null : FORM.matcher(s.trim().toUpperCase(java.util.Locale.ROOT));
        if (m == null || !m.matches()) throw new IllegalArgumentException("period must look like 2026-H2 (year, then H1 or H2)");
        int year = Integer.parseInt(m.group(1));
        boolean first = m.group(2).equals("1");
        LocalDate start = LocalDate.of(year, first ? 1 : 7, 1);
        LocalDate end = first ? LocalDate.of(year, 7, 1) : LocalDate.of(year + 1, 1, 1);
        return new ReportPeriod(year + "-H" + m.group(2), start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
                end.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    }

    /** The half-year containing {@code epochMillis}. */
    public static ReportPeriod containing(long epochMillis) {
        LocalDate d = java.time.Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).toLocalDate();
        return parse(d.getYear() + "-H" + (d.getMonthValue() <= 6 ? 1 : 2));
    }
}
