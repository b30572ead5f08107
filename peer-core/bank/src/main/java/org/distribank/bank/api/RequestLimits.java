package org.distribank.bank.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.distribank.bank.BankLimits;
import org.distribank.bank.session.LoginThrottle;
import org.distribank.common.ApiException;

/**
 * What one client may send to the customer API ({@code /api/...}, sessions and anonymous calls alike): bodies of
 * at most {@code maxBodyBytes} (413; also for chunked bodies, counted while reading), and request rates per client
 * address and per session (429 with Retry-After). The peer routes keep the protocol's own larger body limit.
 */
public final class RequestLimits {

    private static final String MAX_BODY = "bank.maxBody";
    /** The operator API (its own token, one client: the operator's desktop) is not rate limited. */
    private static final String[] OPERATOR_PREFIXES = {"/api/v1/consortium", "/api/v1/events", "/api/v1/audits",
        "/api/v1/admin/"};

    /** Bodies up to this size are read and dropped before a 413 (see {@link #check}). */
    private static final long DRAIN_BYTES = 16L << 20;

    private final BankLimits limits;
    private final Cache<String, RateLimiter> byAddress;
    private final Cache<String, RateLimiter> bySession;
    private final RateLimiterConfig perAddress;
    private final RateLimiterConfig perSession;
    private final Cache<String, RateLimiter> openingsByAddress;
    private final RateLimiterConfig perAddressOpenings;
    private final Supplier<Long> nanos;

    public RequestLimits(BankLimits limits, Clock clock) {
        this.limits = limits;
        // limiters read the bank's clock, so a test can move time
        this.nanos = () -> clock.millis() * 1_000_000L;
        this.byAddress = Caffeine.newBuilder().maximumSize(limits.maxTrackedKeys())
                .expireAfterAccess(Duration.ofMinutes(1)).build();
        this.bySession = Caffeine.newBuilder().maximumSize(limits.maxTrackedKeys())
                .expireAfterAccess(Duration.ofMinutes(1)).build();
        this.perAddress = config(limits.requestsPerSecondPerAddress());
        this.openingsByAddress = Caffeine.newBuilder().maximumSize(limits.maxTrackedKeys())
                .expireAfterAccess(Duration.ofHours(1)).build();
        this.perAddressOpenings = limits.accountOpeningsPerHourPerAddress() <= 0 ? null : RateLimiterConfig.custom()
                .limitForPeriod(limits.accountOpeningsPerHourPerAddress()).limitRefreshPeriod(Duration.ofHours(1))
                .timeoutDuration(Duration.ZERO).build();
        this.perSession = config(limits.requestsPerSecondPerSession());
    }

    private static RateLimiterConfig config(int perSecond) {
        return perSecond <= 0 ? null : RateLimiterConfig.custom().limitForPeriod(perSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build();
    }

    public void register(JavalinConfig config) {
        config.routes.before("/api/*", this::check);
    }

    private void check(Context ctx) {
        ctx.attribute(MAX_BODY, limits.maxBodyBytes());
        // a declared length over the limit is refused before a byte of it is read
        long declared = ctx.req().getContentLengthLong();
        if (declared > limits.maxBodyBytes()) {
            // read and drop a body of moderate size (no memory kept), so the client is past sending and hears the
            // 413; closing on a socket with unread data would reset it and lose the answer
            if (declared <= DRAIN_BYTES) {
                drain(ctx);
            }
            ctx.header("Connection", "close");
            throw tooLarge(limits.maxBodyBytes());
        }
        String path = ctx.path();
        for (String p : OPERATOR_PREFIXES) {
            if (path.startsWith(p)) {
                return;
            }
        }
        if (perAddress != null) {
            acquire(byAddress, ctx.ip(), perAddress, "this address");
        }
        if (perAddressOpenings != null && "/api/v1/accounts".equals(path) && "POST".equals(ctx.method().name())) {
            // each opening costs up to ten bcrypt hashes: far fewer of them than of other calls
            acquire(openingsByAddress, ctx.ip(), perAddressOpenings, "this address (account openings)");
        }
        String auth = ctx.header("Authorization");
        if (perSession != null && auth != null && auth.startsWith("Bearer ")) {
            acquire(bySession, auth.substring("Bearer ".length()).strip(), perSession, "this session");
        }
    }

    private static void drain(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] buf = new byte[8192];
            long total = 0;
            for (int n; total <= DRAIN_BYTES && (n = in.read(buf)) != -1; ) {
                total += n;
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private void acquire(Cache<String, RateLimiter> cache, String key, RateLimiterConfig config, String who) {
        RateLimiter limiter = cache.get(key, k -> RateLimiter.of("client", config, nanos));
        if (!limiter.acquirePermission()) {
            long waitNanos = limiter instanceof AtomicRateLimiter a ? a.getDetailedMetrics().getNanosToWait()
                    : 1_000_000_000L;
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            throw LoginThrottle.tooManyRequests("TOO_MANY_REQUESTS",
                    "Too many requests from " + who + ": try again in " + seconds + " s.", seconds);
        }
    }

    /**
     * The request body as text, read up to the route's limit (set by {@link #check}; 1 MiB when unset): a longer
     * body, declared or chunked, is a 413 PAYLOAD_TOO_LARGE before it is parsed.
     */
    public static String body(Context ctx) {
        Long max = ctx.attribute(MAX_BODY);
        long limit = max == null ? 1L << 20 : max;
        if (ctx.req().getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long total = 0;
            for (int n; (n = in.read(buf)) != -1; ) {
                total += n;
                if (total > limit) {
                    drain(ctx); // the rest, kept nowhere (see check)
                    ctx.header("Connection", "close");
                    throw tooLarge(limit);
                }
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ApiException.badRequest("MALFORMED_JSON", "The request body could not be read.");
        }
    }

    static ApiException tooLarge(long limit) {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "The request body is larger than " + limit + " bytes.");
    }
}
