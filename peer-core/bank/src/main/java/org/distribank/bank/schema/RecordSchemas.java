package org.distribank.bank.schema;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON Schemas (the OpenAPI 3.0 subset) of the records a JSON API reads and writes, by reflection: the record's
 * components are the JSON object's fields, of these types: {@code String}, {@code long}/{@code int}
 * (and boxed), {@code boolean}, enums (their names), {@code List}/{@code Set} of any of them, {@code Map} from
 * {@code String} to any of them, nested records (a {@code $ref} to their own schema) and {@link JsonElement}
 * (anything). Every component is {@code required} unless {@link OptionalField}. The records are the one source of
 * truth: the API parses requests into them and writes answers from them.
 */
public final class RecordSchemas {

    public static final String PREFIX = "#/components/schemas/";

    private final Map<String, JsonObject> schemas = new LinkedHashMap<>();
    private final Map<String, Class<?>> byName = new LinkedHashMap<>();

    /** The name under {@code components.schemas} of {@code type}'s schema, adding it (and its records) if new. */
    public String add(Class<? extends Record> type) {
        String name = type.getSimpleName();
        Class<?> known = byName.get(name);
        if (known != null) {
            if (known != type) {
                throw new IllegalArgumentException("two records named " + name + ": " + known + ", " + type);
            }
            return name;
        }
        byName.put(name, type);
        JsonObject s = new JsonObject();
        schemas.put(name, s); // placed first: a record may refer to itself
        s.addProperty("type", "object");
        JsonObject props = new JsonObject();
        JsonArray required = new JsonArray();
        for (RecordComponent c : type.getRecordComponents()) {
            props.add(c.getName(), schemaOf(c.getGenericType()));
            if (c.getType().isPrimitive() || !c.isAnnotationPresent(OptionalField.class)) {
                required.add(c.getName());
            }
        }
        s.add("properties", props);
        if (!required.isEmpty()) {
            s.add("required", required);
        }
        return name;
    }

    /** A {@code $ref} to {@code type}'s schema. */
    public JsonObject ref(Class<? extends Record> type) {
        JsonObject r = new JsonObject();
        r.addProperty("$ref", PREFIX + add(type));
        return r;
    }

    /** Every schema added so far, for {@code components.schemas}. */
    public JsonObject components() {
        JsonObject o = new JsonObject();
        schemas.forEach(o::add);
        return o;
    }

    @SuppressWarnings("unchecked")
    private JsonElement schemaOf(Type t) {
        JsonObject s = new JsonObject();
        if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            if (Collection.class.isAssignableFrom(raw)) {
                s.addProperty("type", "array");
                s.add("items", schemaOf(p.getActualTypeArguments()[0]));
                return s;
            }
            if (Map.class.isAssignableFrom(raw) && p.getActualTypeArguments()[0] == String.class) {
                s.addProperty("type", "object");
                s.add("additionalProperties", schemaOf(p.getActualTypeArguments()[1]));
                return s;
            }
        }
        if (!(t instanceof Class<?> c)) {
            throw new IllegalArgumentException("no schema for " + t);
        }
        if (c == String.class) {
            s.addProperty("type", "string");
        } else if (c == long.class || c == Long.class) {
            s.addProperty("type", "integer");
            s.addProperty("format", "int64");
        } else if (c == int.class || c == Integer.class) {
            s.addProperty("type", "integer");
            s.addProperty("format", "int32");
        } else if (c == boolean.class || c == Boolean.class) {
            s.addProperty("type", "boolean");
        } else if (c.isEnum()) {
            s.addProperty("type", "string");
            JsonArray values = new JsonArray();
            for (Object v : c.getEnumConstants()) {
                values.add(((Enum<?>) v).name());
            }
            s.add("enum", values);
        } else if (c.isRecord()) {
            return ref((Class<? extends Record>) c);
        } else if (JsonElement.class.isAssignableFrom(c)) {
            return s; // anything
        } else {
            throw new IllegalArgumentException("no schema for " + c);
        }
        return s;
    }
}
