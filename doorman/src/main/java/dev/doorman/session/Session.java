package dev.doorman.session;

import dev.doorman.account.UserId;
import dev.doorman.support.ClientInfo;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A server-side session. The cookie carries a 256-bit secret; the database holds only its SHA-256.
 *
 * @param expiresAt      the absolute timeout: no amount of activity extends it
 * @param authTime       when the user last proved who they are
 * @param amr            how they proved it (RFC 8176 values: {@code pwd}, {@code otp}, {@code hwk}, {@code swk}, {@code mfa})
 * @param secondFactorAt when a second factor was last checked in this session, if ever
 */
public record Session(SessionId id, UserId user, Instant createdAt, Instant lastSeenAt, Instant expiresAt,
                      Instant authTime, ClientInfo client, List<String> amr, Optional<Instant> secondFactorAt) {
    public static final List<String> PASSWORD_ONLY = List.of("pwd");
    /** The authentication context class of a session that proved one factor (the OIDC {@code acr} claim). */
    public static final String ACR_SINGLE_FACTOR = "urn:doorman:acr:1fa";
    /** ... and of one that proved two factors: what {@code acr_values} asks for to demand a second factor. */
    public static final String ACR_MULTI_FACTOR = "urn:doorman:acr:mfa";

    public Session {
        amr = List.copyOf(amr);
        Objects.requireNonNull(secondFactorAt, "secondFactorAt");
    }

    /** A password-only session. */
    public Session(SessionId id, UserId user, Instant createdAt, Instant lastSeenAt, Instant expiresAt, Instant authTime, ClientInfo client) {
        this(id, user, createdAt, lastSeenAt, expiresAt, authTime, client, PASSWORD_ONLY, Optional.empty());
    }

    public Session seenAt(Instant now) {
        return new Session(id, user, createdAt, now, expiresAt, authTime, client, amr, secondFactorAt);
    }

    /** What this session proved, as an {@code acr} value: multi-factor only when its methods say so. */
    public String acr() {
        return amr.contains("mfa") ? ACR_MULTI_FACTOR : ACR_SINGLE_FACTOR;
    }

    /** Whether a second factor was checked in this session no longer than {@code within} before {@code now}. */
    public boolean secondFactorSince(Instant notBefore) {
        return secondFactorAt.map(at -> !at.isBefore(notBefore)).orElse(false);
    }
}
