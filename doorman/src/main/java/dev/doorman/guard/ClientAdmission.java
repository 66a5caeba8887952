package dev.doorman.guard;

import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.support.ClientInfo;

import java.time.Duration;
import java.util.Optional;

/** Per-client limits for the OAuth back channel, checked after the client authenticated (so nobody can spend another client's budget). */
@FunctionalInterface
public interface ClientAdmission {
    /** Empty when admitted, else how long the client should wait. */
    Optional<Duration> admit(String clientId, ClientInfo from);

    /** One token of {@code limit} per request, keyed by the client; a refusal is audited as {@code rate_limited}. */
    static ClientAdmission limitedBy(RateLimits limits, Limit limit, AuditLog audit) {
        return (clientId, from) -> {
            var decision = limits.tryConsume(limit, clientId);
            if (decision.allowed()) return Optional.empty();
            audit.clientEvent(AuditType.RATE_LIMITED, AuditEvent.Outcome.FAILURE, Optional.of(limit.wireName()), clientId, from);
            return Optional.of(decision.retryAfter());
        };
    }

    static ClientAdmission unlimited() {
        return (clientId, from) -> Optional.empty();
    }
}
