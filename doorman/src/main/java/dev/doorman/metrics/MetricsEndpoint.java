package dev.doorman.metrics;

import dev.doorman.support.Secrets;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code GET /metrics} in the Prometheus text format. On the public port it answers only as the settings allow: to
 * anyone in dev mode ({@code OPEN}), to a caller with the configured bearer token ({@code BEARER_TOKEN}, compared in
 * constant time as SHA-256 digests), and otherwise 404, as if there were nothing there. A management listener serves
 * {@link #serve} without a check: that port is not reachable by the public.
 */
public final class MetricsEndpoint {
    public static final String PATH = "/metrics";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final DoormanMetrics metrics;
    private final MetricsSettings settings;
    private final Optional<byte[]> tokenDigest;

    public MetricsEndpoint(DoormanMetrics metrics, MetricsSettings settings) {
        this.metrics = metrics;
        this.settings = settings;
        this.tokenDigest = settings.bearerToken().map(MetricsEndpoint::digest);
    }

    /** Whether the public port has a {@code /metrics} route at all. */
    public boolean onPublicPort() {
        return settings.exposure() == MetricsSettings.Exposure.OPEN || settings.exposure() == MetricsSettings.Exposure.BEARER_TOKEN;
    }

    public void handle(Context ctx) {
        if (settings.exposure() == MetricsSettings.Exposure.BEARER_TOKEN && !authorized(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
            ctx.status(401).contentType("text/plain; charset=utf-8").result("A valid bearer token is required.");
            return;
        }
        serve(ctx);
    }

    public void serve(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(CONTENT_TYPE).result(metrics.scrape());
    }

    private boolean authorized(String header) {
        if (header == null || tokenDigest.isEmpty() || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return MessageDigest.isEqual(digest(header.substring(7).strip()), tokenDigest.get());
    }

    private static byte[] digest(String token) {
        return Secrets.hash(token).getBytes(StandardCharsets.US_ASCII);
    }
}
