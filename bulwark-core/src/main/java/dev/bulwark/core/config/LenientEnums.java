package dev.bulwark.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;

import java.io.IOException;
import java.util.Locale;

/** Config enums accept any case and dashes for underscores: {@code least-outstanding}, {@code LEAST_OUTSTANDING}. */
final class LenientEnums extends BeanDeserializerModifier {
    @Override
    public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                                                      BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Enum> raw = (Class<Enum>) type.getRawClass();
        return new JsonDeserializer<Enum<?>>() {
            @Override
            @SuppressWarnings("unchecked")
            public Enum<?> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = p.getValueAsString();
                String name = text == null ? "" : text.trim().replace('-', '_').toUpperCase(Locale.ROOT);
                for (Enum<?> e : raw.getEnumConstants()) {
                    if (e.name().equals(name)) return e;
                }
                return (Enum<?>) ctxt.handleWeirdStringValue(raw, text, "not one of the allowed values");
            }
        };
    }
}
