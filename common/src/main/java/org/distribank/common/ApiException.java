package org.distribank.common;

import com.google.gson.JsonObject;

/** A refused request: the HTTP status, a stable code and a human sentence, plus optional extra fields. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final JsonObject extra;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiException(int status, String code, String message, JsonObject extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = extra;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public JsonObject body() {
        JsonObject o = new JsonObject();
        o.addProperty("error", code);
        o.addProperty("message", getMessage());
        if (extra != null) {
            extra.entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
        }
        return o;
    }
}
