package dev.bulwark.control.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.core.config.BulwarkConfig;
import dev.bulwark.core.config.CertificateConfig;
import dev.bulwark.core.config.ConfigException;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.config.ConfigProblem;
import dev.bulwark.core.config.ZoneConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical text form of stored configuration, and the validation every write goes
 * through. A stored document is the {@code lists} and {@code zones} sections of a Bulwark
 * YAML file, zones sorted by id and map keys sorted, so equal configs have equal text and
 * diffs show only real changes. Validation serialises the candidate to YAML and runs it
 * through {@link ConfigLoader#parse} — the exact code path a config file takes — so the API
 * accepts precisely what a file would.
 */
public final class ConfigDocuments {
    private static final ObjectMapper YAML = ConfigLoader.mapper();
    private static final ObjectWriter CANONICAL = YAML.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final InjectableValues NO_BASE_DIR = new InjectableValues.Std().addValue(CertificateConfig.BASE_DIR, null);

    private ConfigDocuments() {}

    /** The stored part of a config, canonical. */
    public static String canonical(Map<String, List<String>> lists, List<ZoneConfig> zones) {
        ObjectNode root = YAML.createObjectNode();
        root.set("lists", YAML.valueToTree(new TreeMap<>(lists)));
        List<ZoneConfig> sorted = new ArrayList<>(zones);
        sorted.sort(Comparator.comparing(ZoneConfig::id));
        root.set("zones", YAML.valueToTree(sorted));
        return write(root);
    }

    public static String canonical(ZoneConfig zone) {
        try {
            return CANONICAL.writeValueAsString(zone);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String canonicalList(List<String> items) { return String.join("\n", items) + (items.isEmpty() ? "" : "\n"); }

    public static String write(JsonNode node) {
        try {
            return CANONICAL.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode tree(String document) {
        try {
            JsonNode n = YAML.readTree(document);
            return n instanceof ObjectNode o ? o : YAML.createObjectNode();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored document is not YAML", e);
        }
    }

    /** Parses a stored document, which was validated when it was written. */
    public static BulwarkConfig parse(String document) {
        try {
            return ConfigLoader.parse("store", document, null);
        } catch (ConfigException e) {
            throw new IllegalStateException("stored configuration no longer validates: " + e.getMessage(), e);
        }
    }

    public static ZoneConfig parseZone(String document) {
        try {
            ObjectReader r = YAML.readerFor(ZoneConfig.class).with(NO_BASE_DIR);
            return r.readValue(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored zone is not valid", e);
        }
    }

    /** Any JSON/YAML value as a tree in the config's own key style. */
    public static JsonNode toTree(Object value) { return YAML.valueToTree(value); }

    /**
     * Validates {@code candidate} (a tree with {@code lists} and {@code zones}) exactly as a
     * config file is validated. Problems under {@code focusPath} (e.g. {@code zones[4]}) are
     * reported relative to it; others keep their full path.
     */
    public static BulwarkConfig validate(ObjectNode candidate, String focusPath) {
        String text = write(candidate);
        try {
            return ConfigLoader.parse("request", text, null);
        } catch (ConfigException e) {
            List<FieldError> errors = new ArrayList<>();
            for (ConfigProblem p : e.problems()) errors.add(new FieldError(relative(p.path(), focusPath), p.reason()));
            throw StoreException.invalid(errors);
        }
    }

    /** The config split into its zones and lists ({@code zone:ID}, {@code list:NAME}), each as canonical text. */
    static Map<String, String> parts(BulwarkConfig c) {
        Map<String, String> out = new TreeMap<>();
        c.zones().forEach(z -> out.put("zone:" + z.id(), canonical(z)));
        c.lists().forEach((k, v) -> out.put("list:" + k, canonicalList(v)));
        return out;
    }

    static String relative(String path, String focus) {
        if (path == null || path.isEmpty()) return "";
        if (focus == null || focus.isEmpty()) return path;
        if (path.equals(focus)) return "";
        if (path.startsWith(focus + ".")) return path.substring(focus.length() + 1);
        if (path.startsWith(focus + "[")) return path.substring(focus.length());
        return path;
    }
}
