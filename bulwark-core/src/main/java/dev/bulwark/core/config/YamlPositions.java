package dev.bulwark.core.config;

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

    private YamlPositions(Node root) { this.root = root; }

    static YamlPositions of(String text) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (RuntimeException e) {
            root = null;
        }
        return new YamlPositions(root);
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
