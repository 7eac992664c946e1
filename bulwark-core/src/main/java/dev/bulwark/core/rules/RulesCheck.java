package dev.bulwark.core.rules;

import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.config.ConfigProblem;
import dev.bulwark.core.config.ZoneConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backs {@code bulwark rules check FILE}: loads a Bulwark config (which compiles every zone's
 * firewall rules) and reports each problem as {@code file:line:col: zone/rule: reason}, the
 * position pointing at the offending character inside the rule's {@code expression} value.
 * Problems outside the rules are reported as the config loader words them.
 */
public final class RulesCheck {
    private static final Pattern RULE_PATH = Pattern.compile("^zones\\[(\\d+)]\\.firewall\\[(\\d+)](?:\\.(\\w+))?$");
    private static final Pattern RULE_PREFIX = Pattern.compile("^rule [^:]+: ");

    /** The outcome: problems (empty when the file is good) and what was compiled. */
    public record Report(List<String> problems, int zones, int rules) {
        public boolean ok() { return problems.isEmpty(); }
    }

    private RulesCheck() {}

    /** Problems found in the file, one line each; empty when every zone's rules compile. */
    public static List<String> check(Path yamlFile) { return run(yamlFile).problems(); }

    public static Report run(Path yamlFile) {
        try {
            BulwarkConfig config = ConfigLoader.load(yamlFile);
            int rules = 0;
            for (ZoneConfig z : config.zones()) rules += z.firewall().size();
            return new Report(List.of(), config.zones().size(), rules);
        } catch (ConfigException e) {
            List<String> out = new ArrayList<>();
            Object tree = readTree(yamlFile);
            for (ConfigProblem p : e.problems()) out.add(format(p, tree));
            return new Report(List.copyOf(out), 0, 0);
        }
    }

    private static String format(ConfigProblem p, Object tree) {
        Matcher m = p.path() == null ? null : RULE_PATH.matcher(p.path());
        if (m == null || !m.matches()) return p.toString();
        int zone = Integer.parseInt(m.group(1));
        int rule = Integer.parseInt(m.group(2));
        String zoneId = idAt(tree, "zones", zone, null);
        Object zoneNode = child(tree, "zones", zone);
        String ruleId = idAt(zoneNode, "firewall", rule, "#" + (rule + 1));
        StringBuilder sb = new StringBuilder(p.source());
        if (p.line() > 0) sb.append(':').append(p.line()).append(':').append(Math.max(1, p.column()));
        sb.append(": ").append(zoneId == null ? "zones[" + zone + "]" : zoneId).append('/').append(ruleId).append(": ");
        return sb.append(RULE_PREFIX.matcher(p.reason()).replaceFirst("")).toString();
    }

    private static Object readTree(Path file) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return null; // the loader's own problems already say why the file is unreadable
        }
    }

    private static Object child(Object node, String key, int index) {
        if (node instanceof Map<?, ?> map && map.get(key) instanceof List<?> list && index < list.size()) return list.get(index);
        return null;
    }

    private static String idAt(Object node, String key, int index, String fallback) {
        if (child(node, key, index) instanceof Map<?, ?> item && item.get("id") != null) return String.valueOf(item.get("id"));
        return fallback;
    }
}
