package dev.doorman.audit;

import dev.doorman.account.UserId;
import dev.doorman.support.ClientInfo;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One security event: who (account, or a truncated hash of an identifier that matched none), what, when (UTC),
 * where from, and how it ended. Never a password, token, cookie or link.
 *
 * @param reason      a stable reason code such as {@code invalid_credentials}; empty on success
 * @param subjectHint first 16 hex characters of SHA-256 of an identifier that matched no account; for the
 *                    {@code client_*} events, the {@code client_id} of a registered client (a public identifier)
 */
public record AuditEvent(Instant at, AuditType type, Outcome outcome, Optional<String> reason, Optional<UserId> user,
                         Optional<String> subjectHint, ClientInfo client) {
    public enum Outcome { SUCCESS, FAILURE }

    public AuditEvent {
        Objects.requireNonNull(at);
        Objects.requireNonNull(type);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(user);
        Objects.requireNonNull(subjectHint);
        Objects.requireNonNull(client);
    }
}
