package dev.doorman.metrics;

import java.util.Objects;
import java.util.Optional;

/**
 * Who may read {@code /metrics}. Metrics tell an attacker how well an attack is going, so production never serves
 * them openly: it refuses {@link Exposure#OPEN}.
 *
 * @param bearerToken    for {@link Exposure#BEARER_TOKEN}: the token scrapers send ({@code Authorization: Bearer …}),
 *                       at least 32 characters; never printed
 * @param managementHost for {@link Exposure#MANAGEMENT_PORT}: the address the separate listener binds (loopback by default)
 * @param managementPort for {@link Exposure#MANAGEMENT_PORT}
 */
public record MetricsSettings(Exposure exposure, Optional<String> bearerToken, String managementHost, int managementPort) {
    public static final int MIN_TOKEN_LENGTH = 32;

    public enum Exposure {
        /** on the public port, to anyone: dev mode only */
        OPEN,
        /** on the public port, to callers that present the configured bearer token */
        BEARER_TOKEN,
        /** only on a separate listener (e.g. 127.0.0.1:9090) that the public never reaches */
        MANAGEMENT_PORT,
        /** not served; an embedding app can still read the registry */
        OFF
    }

    public MetricsSettings {
        Objects.requireNonNull(exposure, "exposure");
        Objects.requireNonNull(bearerToken, "bearerToken");
        Objects.requireNonNull(managementHost, "managementHost");
        if (exposure == Exposure.BEARER_TOKEN && bearerToken.filter(t -> t.length() >= MIN_TOKEN_LENGTH).isEmpty())
            throw new IllegalArgumentException("metrics behind a bearer token need a token of at least " + MIN_TOKEN_LENGTH + " characters");
        if (exposure == Exposure.MANAGEMENT_PORT && (managementPort < 1 || managementPort > 65535))
            throw new IllegalArgumentException("metrics on a management port need a port between 1 and 65535");
    }

    public static MetricsSettings open() {
        return new MetricsSettings(Exposure.OPEN, Optional.empty(), "127.0.0.1", 0);
    }

    public static MetricsSettings off() {
        return new MetricsSettings(Exposure.OFF, Optional.empty(), "127.0.0.1", 0);
    }

    public static MetricsSettings bearerToken(String token) {
        return new MetricsSettings(Exposure.BEARER_TOKEN, Optional.of(token), "127.0.0.1", 0);
    }

    public static MetricsSettings managementPort(String host, int port) {
        return new MetricsSettings(Exposure.MANAGEMENT_PORT, Optional.empty(), host, port);
    }

    @Override
    public String toString() {
        return "MetricsSettings[exposure=" + exposure + ", managementHost=" + managementHost + ", managementPort=" + managementPort + "]";
    }
}
