package dev.bulwark.core.config;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;

/**
 * Maps a config path such as {@code zones[1].origins.servers[0].url} back to the line and
 * column where it is written, so that semantic errors point into the file.
 */
final class YamlPositions {
    private final Node root;
    private final String[] lines;

    private YamlPositions(Node root, String text) {
        this.root = root;
        this.lines = text.split("\r?\n", -1);
    }

    static YamlPositions of(String text) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (RuntimeException e) {
            root = null;
        }
        return new YamlPositions(root, text);
    }

    /** {line, column} (1-based) of the deepest node along the path that exists; {0, 0} if none. */
    int[] find(String path) {
        Node node = root;
        Node best = root;
        if (path != null && !path.isEmpty()) {
            for (String step : path.replace("[", ".[").split("\\.")) {
                if (step.isEmpty() || node == null) continue;
                node = step.startsWith("[") ? index(node, Integer.parseInt(step.substring(1, step.length() - 1)))
                        : key(node, step);
                if (node != null) best = node;
            }
        }
        if (best == null) return new int[]{0, 0};
        return new int[]{best.getStartMark().getLine() + 1, best.getStartMark().getColumn() + 1};
    }

    /**
     * {line, column} in the file of a position inside a scalar's value, given as a 1-based
     * line and column within the value (as a rule expression reports it). Follows how YAML
     * writes the scalar: inline (plain or quoted, possibly folded over several lines), or a
     * literal {@code |} or folded {@code >} block. Falls back to the scalar's own position.
     */
    int[] findWithin(String path, int valueLine, int valueColumn) {
        int[] start = find(path);
        Node node = exact(path);
        if (!(node instanceof ScalarNode s) || valueLine < 1 || valueColumn < 1) return start;
        int line0 = s.getStartMark().getLine();
        int col0 = s.getStartMark().getColumn();
        DumperOptions.ScalarStyle style = s.getScalarStyle();
        if (style == DumperOptions.ScalarStyle.LITERAL) {
            int fileLine = line0 + valueLine; // 0-based: the value's first line follows the '|' line
            if (fileLine >= lines.length) return start;
            return new int[]{fileLine + 1, indent(lines[fileLine]) + valueColumn};
        }
        if (valueLine != 1) return start;
        // inline or folded: the value is the file's lines joined with single spaces
        int firstLine = style == DumperOptions.ScalarStyle.FOLDED ? line0 + 1 : line0;
        int firstCol = style == DumperOptions.ScalarStyle.FOLDED ? -1 : col0 + (style == DumperOptions.ScalarStyle.PLAIN ? 0 : 1);
        int remaining = valueColumn - 1;
        int endLine = Math.min(lines.length - 1, s.getEndMark().getLine());
        for (int l = firstLine; l <= endLine; l++) {
            String text = lines[l];
            int from = l == firstLine && firstCol >= 0 ? firstCol : indent(text);
            int length = Math.max(0, text.stripTrailing().length() - from);
            if (remaining <= length || l == endLine) return new int[]{l + 1, from + remaining + 1};
            remaining -= length + 1;
        }
        return start;
    }

    private Node exact(String path) {
        Node node = root;
        if (path == null || path.isEmpty()) return node;
        for (String step : path.replace("[", ".[").split("\\.")) {
            if (step.isEmpty()) continue;
            if (node == null) return null;
            node = step.startsWith("[") ? index(node, Integer.parseInt(step.substring(1, step.length() - 1))) : key(node, step);
        }
        return node;
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') i++;
        return i;
    }

    private static Node key(Node node, String name) {
        if (!(node instanceof MappingNode m)) return null;
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(name)) return t.getValueNode();
        }
        return null;
    }

    private static Node index(Node node, int i) {
        if (!(node instanceof SequenceNode s) || i >= s.getValue().size()) return null;
        return s.getValue().get(i);
    }
}
