package org.distribank.common;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Strict JSON in (shared by the data server and the bank peer). Money never goes through a double: a number is accepted only when its
 * literal text is a plain integer (no fraction, no exponent) within the allowed range.
 */
public final class StrictJson {

    public static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** The largest movement the contract allows (API.md, "Conventions"): 10^14 cents. */
    public static final long MAX_AMOUNT = 100_000_000_000_000L;

    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,30})");
    /** Ids are short printable tokens: safe in paths, logs and SQL parameters. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}");

    private StrictJson() {
    }

    /** Deepest nesting accepted; our bodies are a few levels deep, and a bounded depth keeps the parser's stack small. */
    public static final int MAX_DEPTH = 32;

    /**
     * The body as a JSON object. A key that appears twice in one object is refused (400 DUPLICATE_KEY): parsers
     * disagree on which one wins, so a proxy or log could read another request than the one we execute.
     */
    public static JsonObject parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("MALFORMED_JSON", "The request body must be a JSON object.");
        }
        try {
            JsonReader reader = new JsonReader(new StringReader(body));
            reader.setStrictness(Strictness.STRICT);
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw ApiException.badRequest("MALFORMED_JSON", "The request body must be a JSON object.");
            }
            JsonElement root = read(reader, 0);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw ApiException.badRequest("MALFORMED_JSON", "The request body has data after the JSON object.");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException | IOException | IllegalStateException | NumberFormatException e) {
            throw ApiException.badRequest("MALFORMED_JSON", "The request body is not valid JSON.");
        }
    }

    /** One value; numbers keep their literal text (LazilyParsedNumber), as Gson's own tree does. */
    private static JsonElement read(JsonReader r, int depth) throws IOException {
        switch (r.peek()) {
            case BEGIN_OBJECT -> {
                if (depth >= MAX_DEPTH) {
                    throw ApiException.badRequest("MALFORMED_JSON", "The request body is nested too deeply.");
                }
                JsonObject o = new JsonObject();
                r.beginObject();
                while (r.hasNext()) {
                    String name = r.nextName();
                    if (o.has(name)) {
                        throw ApiException.badRequest("DUPLICATE_KEY",
                                "Field '" + abbreviate(name) + "' appears twice in one object.");
                    }
                    o.add(name, read(r, depth + 1));
                }
                r.endObject();
                return o;
            }
            case BEGIN_ARRAY -> {
                if (depth >= MAX_DEPTH) {
                    throw ApiException.badRequest("MALFORMED_JSON", "The request body is nested too deeply.");
                }
                JsonArray a = new JsonArray();
                r.beginArray();
                while (r.hasNext()) {
                    a.add(read(r, depth + 1));
                }
                r.endArray();
                return a;
            }
            case STRING -> {
                return new JsonPrimitive(r.nextString());
            }
            case NUMBER -> {
                return new JsonPrimitive(new LazilyParsedNumber(r.nextString()));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(r.nextBoolean());
            }
            case NULL -> {
                r.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new JsonParseException("unexpected " + r.peek());
        }
    }

    public static String string(JsonObject o, String name, int maxLength) {
        String s = optString(o, name, maxLength);
        if (s == null) {
            throw missing(name);
        }
        return s;
    }

    public static String optString(JsonObject o, String name, int maxLength) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isString()) {
            throw ApiException.badRequest("INVALID_FIELD", "Field '" + name + "' must be a string.");
        }
        String s = e.getAsString();
        if (s.isBlank() || s.length() > maxLength) {
            throw ApiException.badRequest("INVALID_FIELD",
                    "Field '" + name + "' must be a non-empty string of at most " + maxLength + " characters.");
        }
        return s;
    }

    public static String id(JsonObject o, String name) {
        return checkId(string(o, name, 128), name);
    }

    public static String optId(JsonObject o, String name) {
        String s = optString(o, name, 128);
        return s == null ? null : checkId(s, name);
    }

    public static String checkId(String s, String name) {
        if (s == null || !ID.matcher(s).matches()) {
            throw ApiException.badRequest("INVALID_ID",
                    "'" + name + "' must be 1-128 characters of letters, digits and . _ : @ + -");
        }
        return s;
    }

    public static String matching(JsonObject o, String name, Pattern pattern, String what) {
        String s = string(o, name, 256);
        if (!pattern.matcher(s).matches()) {
            throw ApiException.badRequest("INVALID_FIELD", "Field '" + name + "' must be " + what + ".");
        }
        return s;
    }

    /** A signed integer number of cents with |value| <= MAX_AMOUNT; decimals, strings, exponents are refused. */
    public static long signedCents(JsonObject o, String name) {
        long v = integer(o, name);
        if (v > MAX_AMOUNT || v < -MAX_AMOUNT) {
            throw ApiException.badRequest("INVALID_AMOUNT",
                    "Field '" + name + "' must be between -" + MAX_AMOUNT + " and " + MAX_AMOUNT + " cents.");
        }
        return v;
    }

    public static long integer(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            throw missing(name);
        }
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
            throw ApiException.badRequest("INVALID_AMOUNT", "Field '" + name + "' must be a JSON integer.");
        }
        // The number keeps its literal text (LazilyParsedNumber): check that text, never a double.
        String literal = e.getAsString();
        if (!INTEGER.matcher(literal).matches()) {
            throw ApiException.badRequest("INVALID_AMOUNT",
                    "Field '" + name + "' must be an integer number of cents, got " + abbreviate(literal) + ".");
        }
        BigInteger big = new BigInteger(literal);
        if (big.bitLength() > 63) {
            throw ApiException.badRequest("INVALID_AMOUNT", "Field '" + name + "' is out of range.");
        }
        return big.longValue();
    }

    public static <E extends Enum<E>> E enumValue(JsonObject o, String name, Class<E> type) {
        return enumValue(string(o, name, 32), name, type);
    }

    public static <E extends Enum<E>> E enumValue(String value, String name, Class<E> type) {
        try {
            if (!value.equals(value.toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException();
            }
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_ENUM", "Field '" + name + "' must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()) + ".");
        }
    }

    public static JsonObject object(JsonObject o, String name) {
        JsonObject r = optObject(o, name);
        if (r == null) {
            throw missing(name);
        }
        return r;
    }

    public static JsonObject optObject(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw ApiException.badRequest("INVALID_FIELD", "Field '" + name + "' must be a JSON object.");
        }
        return e.getAsJsonObject();
    }

    public static JsonArray array(JsonObject o, String name, int maxSize) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            throw missing(name);
        }
        if (!e.isJsonArray()) {
            throw ApiException.badRequest("INVALID_FIELD", "Field '" + name + "' must be a JSON array.");
        }
        JsonArray a = e.getAsJsonArray();
        if (a.isEmpty() || a.size() > maxSize) {
            throw ApiException.badRequest("INVALID_FIELD",
                    "Field '" + name + "' must hold between 1 and " + maxSize + " items.");
        }
        return a;
    }

    public static JsonObject element(JsonArray a, int index, String name) {
        JsonElement e = a.get(index);
        if (!e.isJsonObject()) {
            throw ApiException.badRequest("INVALID_FIELD", name + "[" + index + "] must be a JSON object.");
        }
        return e.getAsJsonObject();
    }


    private static ApiException missing(String name) {
        return ApiException.badRequest("MISSING_FIELD", "Field '" + name + "' is required.");
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
