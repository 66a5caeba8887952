package dev.doorman.web;

import io.javalin.http.Context;

import java.util.function.BooleanSupplier;

/** Liveness answers while the process runs; readiness only while the database answers. */
public final class HealthEndpoint {
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    public record Status(String status) { }

    private final BooleanSupplier databaseHealthy;

    public HealthEndpoint(BooleanSupplier databaseHealthy) {
        this.databaseHealthy = databaseHealthy;
    }

    public void live(Context ctx) {
        Json.write(ctx, 200, new Status("up"));
    }

    public void ready(Context ctx) {
        boolean up = databaseHealthy.getAsBoolean();
        Json.write(ctx, up ? 200 : 503, new Status(up ? "ready" : "database unavailable"));
    }
}
