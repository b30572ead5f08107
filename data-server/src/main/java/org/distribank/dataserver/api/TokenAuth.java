package org.distribank.dataserver.api;

import org.distribank.common.ApiException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps the {@code auth-token} header to the one business it opens. Tokens are compared as SHA-256
 * digests with {@link MessageDigest#isEqual} over every configured business, so the time taken does not
 * reveal how much of a token matched nor which business it belongs to. Tokens are never logged.
 */
public final class TokenAuth {

    public static final String HEADER = "auth-token";

    private final Map<String, byte[]> digestByBusiness = new LinkedHashMap<>();

    public TokenAuth(Map<String, String> tokens) {
        tokens.forEach((business, token) -> digestByBusiness.put(business, digest(token)));
    }

    /** The business the request's token opens; 401 when the token is missing or unknown. */
    public String authenticate(Context ctx) {
        String token = ctx.header(HEADER);
        if (token == null || token.isEmpty()) {
            throw new ApiException(401, "UNAUTHORIZED", "The auth-token header is required.");
        }
        byte[] presented = digest(token);
        String found = null;
        for (Map.Entry<String, byte[]> e : digestByBusiness.entrySet()) {
            if (MessageDigest.isEqual(presented, e.getValue())) {
                found = e.getKey();
            }
        }
        if (found == null) {
            throw new ApiException(401, "UNAUTHORIZED", "The auth-token is not valid.");
        }
        return found;
    }

    /** 403 unless the authenticated business is the one the request names. */
    public static void requireSame(String authenticated, String requested) {
        if (!authenticated.equals(requested)) {
            throw new ApiException(403, "FORBIDDEN", "This token does not open that business_id.");
        }
    }

    /** Authenticates and checks the {@code businessId} path parameter in one step. */
    public String bank(Context ctx) {
        String authenticated = authenticate(ctx);
        requireSame(authenticated, ctx.pathParam("businessId"));
        return authenticated;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
