package dev.bulwark.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads YAML into {@link BulwarkConfig} and validates it. Every refusal names the source,
 * line, column and reason; nothing is applied unless the whole file is valid.
 *
 * <p>Keys are snake_case ({@code max_header_bytes}); enum values are case-insensitive and
 * accept dashes or underscores ({@code round-robin}, {@code ROUND_ROBIN}); durations are
 * written {@code 10s}, {@code 250ms}; sizes {@code 32KiB}.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .addModule(new SimpleModule("bulwark")
                    .setDeserializerModifier(new LenientEnums())
                    .addDeserializer(Duration.class, new Durations.Deserializer())
                    .addSerializer(Duration.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(Duration.class) {
                        @Override
                        public void serialize(Duration value, com.fasterxml.jackson.core.JsonGenerator gen,
                                              com.fasterxml.jackson.databind.SerializerProvider provider) throws IOException {
                            gen.writeString(Durations.format(value));
                        }
                    }))
            .build();

    private ConfigLoader() {}

    /** The mapper used for config YAML; also writes a config back as YAML. */
    public static ObjectMapper mapper() { return YAML; }

    public static BulwarkConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), 0, 0, null, "cannot read: " + e.getMessage()));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(file.toString(), text, dir);
    }

    /**
     * Parses and validates YAML text. {@code baseDir} resolves relative certificate paths
     * (null: relative to the working directory).
     */
    public static BulwarkConfig parse(String source, String text, Path baseDir) throws ConfigException {
        BulwarkConfig config;
        try {
            config = YAML.readerFor(BulwarkConfig.class)
                    .with(new com.fasterxml.jackson.databind.InjectableValues.Std().addValue(CertificateConfig.BASE_DIR, baseDir))
                    .readValue(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(problemOf(source, text, e));
        }
        if (config == null) config = new BulwarkConfig(null, null, null, null);
        List<ConfigValidator.Issue> issues = new ConfigValidator().validate(config);
        if (!issues.isEmpty()) {
            YamlPositions positions = YamlPositions.of(text);
            List<ConfigProblem> problems = new ArrayList<>();
            for (ConfigValidator.Issue issue : issues) {
                int[] lc = issue.valueLine() > 0 ? positions.findWithin(issue.path(), issue.valueLine(), issue.valueColumn())
                        : positions.find(issue.path());
                problems.add(new ConfigProblem(source, lc[0], lc[1], issue.path(), issue.reason()));
            }
            throw new ConfigException(problems);
        }
        return config;
    }

    public static String toYaml(BulwarkConfig config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigProblem problemOf(String source, String text, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String path = e instanceof JsonMappingException m ? pathOf(m) : null;
        int line = loc == null ? 0 : loc.getLineNr();
        int column = loc == null ? 0 : loc.getColumnNr();
        if (path != null && !path.isEmpty()) { // Jackson may report where it stopped buffering; the path is exact
            int[] lc = YamlPositions.of(text).find(path);
            if (lc[0] > 0) {
                line = lc[0];
                column = lc[1];
            }
        }
        String reason = e.getOriginalMessage();
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            reason = "unknown key '" + u.getPropertyName() + "'";
        } else if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f) {
            reason = "invalid value '" + f.getValue() + "'" + (f.getTargetType() != null && f.getTargetType().isEnum()
                    ? " (expected one of " + java.util.Arrays.toString(f.getTargetType().getEnumConstants()).toLowerCase() + ")"
                    : ": " + firstLine(e.getOriginalMessage()));
        } else if (reason != null) {
            reason = firstLine(reason);
        }
        return new ConfigProblem(source, line, column, path, reason);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String pathOf(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
