package dev.doorman.session;

import java.time.Duration;
import java.util.Objects;

/**
 * Session lifetimes and cookie attributes.
 *
 * @param hostPrefix use the {@code __Host-} cookie-name prefix (on in production mode)
 */
public record SessionSettings(Duration idleTimeout, Duration absoluteTimeout, SameSite sameSite, boolean secureCookie, boolean hostPrefix) {
    public enum SameSite { LAX, STRICT }

    public SessionSettings {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(absoluteTimeout, "absoluteTimeout");
        Objects.requireNonNull(sameSite, "sameSite");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("session idle timeout must be positive");
        if (absoluteTimeout.compareTo(idleTimeout) < 0) throw new IllegalArgumentException("session absolute timeout must not be shorter than the idle timeout");
        if (hostPrefix && !secureCookie) throw new IllegalArgumentException("the __Host- cookie prefix requires secure cookies");
    }

    public static SessionSettings defaults() {
        return new SessionSettings(Duration.ofMinutes(30), Duration.ofHours(12), SameSite.LAX, true, false);
    }

    public String sessionCookieName() {
        return (hostPrefix ? "__Host-" : "") + "doorman_session";
    }

    public String preSessionCookieName() {
        return (hostPrefix ? "__Host-" : "") + "doorman_presession";
    }

    public SessionSettings withTimeouts(Duration idle, Duration absolute) {
        return new SessionSettings(idle, absolute, sameSite, secureCookie, hostPrefix);
    }
}
