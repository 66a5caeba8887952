package dev.doorman.resource;

import dev.doorman.authz.Subject;

import java.util.Objects;

/** What verifying a bearer token gave: a trusted subject, a rejection (401), or an issuer we cannot reach (503). */
public sealed interface Verification {
    /** The token is genuine, current, meant for this API and not revoked. */
    record Verified(Subject subject) implements Verification {
        public Verified {
            Objects.requireNonNull(subject, "subject");
        }
    }

    /**
     * The token is not acceptable. Every rejection is answered with the same {@code invalid_token}.
     *
     * @param reason for logs only, never for the caller: it would tell an attacker which check to work around
     */
    record Rejected(String reason) implements Verification { }

    /**
     * The token could not be judged because the issuer (its keys, its revocation feed or its introspection
     * endpoint) is out of reach: fail closed, answer 503.
     *
     * @param reason for logs only
     */
    record Unavailable(String reason) implements Verification { }
}
