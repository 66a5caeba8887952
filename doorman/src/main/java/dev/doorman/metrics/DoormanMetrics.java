package dev.doorman.metrics;

import dev.doorman.account.PasswordHasher;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Doorman's meters, in one Prometheus registry. Security counters are derived from the audit trail, so every event
 * any feature records is counted ({@code doorman_audit_events_total{type,outcome}}) without wiring of its own; a few
 * get a dedicated name because operators alert on them:
 * <ul>
 *   <li>{@code doorman_logins_total{outcome,reason}} from {@code login_succeeded} / {@code login_failed};</li>
 *   <li>{@code doorman_lockouts_total{type}} from every event type whose name says a lock was imposed ({@code *_locked},
 *       {@code *lockout*}; not {@code *unlock*});</li>
 *   <li>{@code doorman_rate_limited_total{type,endpoint}} from every type naming a rate limit or throttle, the endpoint
 *       taken from the event's reason;</li>
 *   <li>{@code doorman_refresh_token_reuse_total} from {@code refresh_token_reused}.</li>
 * </ul>
 * Tag values come only from stable codes (types, reasons, route patterns, grant names), never from user input, so the
 * number of series stays bounded.
 */
public final class DoormanMetrics implements AutoCloseable {
    private static final Duration[] LATENCY_SLOS = {Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)};

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final Timer hashTime;
    private final Timer hashWait;

    public DoormanMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        hashTime = Timer.builder("doorman.password.hash").description("Argon2id derivation time (hash, verify or dummy verify)")
                .serviceLevelObjectives(Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
                        Duration.ofMillis(500), Duration.ofSeconds(1))
                .register(registry);
        hashWait = Timer.builder("doorman.password.hash.wait").description("time a derivation waited for a free core")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500),
                        Duration.ofSeconds(1), Duration.ofSeconds(5))
                .register(registry);
    }

    public static DoormanMetrics create() {
        return new DoormanMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** The audit listener: counts the event. */
    public void onAudit(AuditEvent e) {
        String type = e.type().wireName();
        String outcome = e.outcome().name().toLowerCase(Locale.ROOT);
        String reason = e.reason().orElse("none");
        Counter.builder("doorman.audit.events").description("audit events recorded, by type and outcome")
                .tag("type", type).tag("outcome", outcome).register(registry).increment();
        if (e.type() == AuditType.LOGIN_SUCCEEDED || e.type() == AuditType.LOGIN_FAILED)
            Counter.builder("doorman.logins").description("password logins, by outcome and failure reason")
                    .tag("outcome", outcome).tag("reason", reason).register(registry).increment();
        if (e.type() == AuditType.REFRESH_TOKEN_REUSED)
            Counter.builder("doorman.refresh.token.reuse").description("refresh tokens presented again after rotation (family revoked)")
                    .register(registry).increment();
        if (isLockout(type))
            Counter.builder("doorman.lockouts").description("lockouts imposed, by event type").tag("type", type).register(registry).increment();
        if (isRateLimited(type))
            Counter.builder("doorman.rate.limited").description("requests refused by a rate limit, by event type and endpoint")
                    .tag("type", type).tag("endpoint", reason).register(registry).increment();
    }

    static boolean isLockout(String type) {
        return !type.contains("unlock") && (type.endsWith("_locked") || type.contains("lockout"));
    }

    static boolean isRateLimited(String type) {
        return type.contains("rate_limit") || type.contains("throttl");
    }

    /** A token endpoint answer, by grant type: {@code doorman_tokens_issued_total} or {@code doorman_token_requests_refused_total}. */
    public void tokenResponse(String grant, boolean issued, String error) {
        if (issued)
            Counter.builder("doorman.tokens.issued").description("token responses with tokens, by grant type").tag("grant", grant)
                    .register(registry).increment();
        else
            Counter.builder("doorman.token.requests.refused").description("token requests refused, by grant type and OAuth error")
                    .tag("grant", grant).tag("error", error).register(registry).increment();
    }

    /** The password hasher's timing hook. */
    public PasswordHasher.Timing hashTiming() {
        return (waitNanos, hashNanos) -> {
            hashWait.record(waitNanos, TimeUnit.NANOSECONDS);
            hashTime.record(hashNanos, TimeUnit.NANOSECONDS);
        };
    }

    /**
     * One HTTP request. {@code route} is the matched route pattern (e.g. {@code /api/v1/me/sessions/{id}}), or
     * {@code unmatched}: never the raw path, which would make a series per URL.
     */
    public void request(String method, String route, int status, float millis) {
        Timer.builder("http.server.requests").description("HTTP request latency by route pattern")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .serviceLevelObjectives(LATENCY_SLOS)
                .register(registry).record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        gc.close();
    }
}
