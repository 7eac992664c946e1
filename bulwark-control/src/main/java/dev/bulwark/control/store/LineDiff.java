package dev.bulwark.control.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Unified diff of two texts by lines, from a longest-common-subsequence table. Config
 * documents are small (hundreds of lines), so the quadratic table is cheap; inputs above
 * {@link #MAX_CELLS} fall back to "replace everything" rather than using unbounded memory.
 */
public final class LineDiff {
    static final long MAX_CELLS = 4_000_000;
    private static final int CONTEXT = 3;

    private LineDiff() {}

    public static String unified(String fromName, String toName, String from, String to) {
        List<String> a = lines(from);
        List<String> b = lines(to);
        List<char[]> ops = new ArrayList<>(); // op per output line: ' ', '-', '+' with index
        List<String> text = new ArrayList<>();
        if ((long) a.size() * b.size() > MAX_CELLS) {
            for (String s : a) { ops.add(new char[] {'-'}); text.add(s); }
            for (String s : b) { ops.add(new char[] {'+'}); text.add(s); }
        } else {
            int[][] lcs = new int[a.size() + 1][b.size() + 1];
            for (int i = a.size() - 1; i >= 0; i--) {
                for (int j = b.size() - 1; j >= 0; j--) {
                    lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
                }
            }
            int i = 0, j = 0;
            while (i < a.size() || j < b.size()) {
                if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                    ops.add(new char[] {' '}); text.add(a.get(i)); i++; j++;
                } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                    ops.add(new char[] {'-'}); text.add(a.get(i)); i++;
                } else {
                    ops.add(new char[] {'+'}); text.add(b.get(j)); j++;
                }
            }
        }
        return render(fromName, toName, ops, text);
    }

    private static String render(String fromName, String toName, List<char[]> ops, List<String> text) {
        StringBuilder out = new StringBuilder();
        int n = ops.size();
        int k = 0;
        int aLine = 1, bLine = 1;
        int[] aAt = new int[n + 1], bAt = new int[n + 1];
        for (int x = 0; x < n; x++) {
            aAt[x] = aLine; bAt[x] = bLine;
            char op = ops.get(x)[0];
            if (op != '+') aLine++;
            if (op != '-') bLine++;
        }
        aAt[n] = aLine; bAt[n] = bLine;
        boolean header = false;
        while (k < n) {
            if (ops.get(k)[0] == ' ') { k++; continue; }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            int lastChange = k;
            while (end < n && (ops.get(end)[0] != ' ' || end - lastChange <= 2 * CONTEXT)) {
                if (ops.get(end)[0] != ' ') lastChange = end;
                end++;
            }
            end = Math.min(n, lastChange + CONTEXT + 1);
            if (!header) {
                out.append("--- ").append(fromName).append('\n').append("+++ ").append(toName).append('\n');
                header = true;
            }
            int aCount = 0, bCount = 0;
            for (int x = start; x < end; x++) {
                char op = ops.get(x)[0];
                if (op != '+') aCount++;
                if (op != '-') bCount++;
            }
            out.append("@@ -").append(aAt[start]).append(',').append(aCount)
                    .append(" +").append(bAt[start]).append(',').append(bCount).append(" @@\n");
            for (int x = start; x < end; x++) out.append(ops.get(x)[0]).append(text.get(x)).append('\n');
            k = end;
        }
        return out.toString();
    }

    private static List<String> lines(String s) {
        if (s == null || s.isEmpty()) return List.of();
        return List.of(s.split("\n", -1)).subList(0, s.endsWith("\n") ? s.split("\n", -1).length - 1 : s.split("\n", -1).length);
    }
}
