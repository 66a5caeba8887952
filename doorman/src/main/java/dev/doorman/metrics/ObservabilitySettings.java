package dev.doorman.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Metrics exposure and audit retention.
 *
 * @param auditRetention how long audit records are kept (at least {@link #MIN_AUDIT_RETENTION}); empty keeps them forever
 */
public record ObservabilitySettings(MetricsSettings metrics, Optional<Duration> auditRetention) {
    /** Investigations look back weeks; shorter retention would mostly destroy evidence. */
    public static final Duration MIN_AUDIT_RETENTION = Duration.ofDays(7);

    public ObservabilitySettings {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(auditRetention, "auditRetention");
        if (auditRetention.isPresent() && auditRetention.get().compareTo(MIN_AUDIT_RETENTION) < 0)
            throw new IllegalArgumentException("audit retention must be at least 7 days");
    }

    /** Dev mode: metrics open on the public port, audit records kept forever. */
    public static ObservabilitySettings defaults() {
        return new ObservabilitySettings(MetricsSettings.open(), Optional.empty());
    }
}
