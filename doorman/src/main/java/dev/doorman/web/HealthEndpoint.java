package dev.doorman.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness answers while the process runs; readiness only while the database answers. Readiness also says where
 * rate limits are kept, and says so plainly when they have fallen back to this node's memory (Redis unreachable):
 * the node stays ready, because it still limits, only no longer together with the other nodes.
 */
public final class HealthEndpoint {
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String status, String rateLimits) {
        public Status(String status) {
            this(status, null);
        }
    }

    private final BooleanSupplier databaseHealthy;
    private final Supplier<String> rateLimits;

    public HealthEndpoint(BooleanSupplier databaseHealthy) {
        this(databaseHealthy, () -> null);
    }

    /** @param rateLimits describes the rate-limit store, e.g. {@code postgresql (shared by every node)} */
    public HealthEndpoint(BooleanSupplier databaseHealthy, Supplier<String> rateLimits) {
        this.databaseHealthy = databaseHealthy;
        this.rateLimits = rateLimits;
    }

    public void live(Context ctx) {
        Json.write(ctx, 200, new Status("up"));
    }

    public void ready(Context ctx) {
        boolean up = databaseHealthy.getAsBoolean();
        Json.write(ctx, up ? 200 : 503, new Status(up ? "ready" : "database unavailable", rateLimits.get()));
    }
}
