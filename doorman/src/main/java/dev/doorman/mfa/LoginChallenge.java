package dev.doorman.mfa;

import dev.doorman.account.UserId;
import dev.doorman.session.SessionId;

import java.time.Instant;
import java.util.Optional;

/**
 * A login between the password and the second factor (the flow of the MFA step). It is no session: the browser
 * holds its 256-bit token in a cookie, and only the challenge endpoints accept it (MF-03).
 *
 * @param passwordDigest    SHA-256 of the password hash that was verified: a password change meanwhile kills the login
 * @param previousSession   a session the browser had before; it ends when this login completes
 * @param failures          wrong codes so far; at the limit the challenge is deleted
 */
public record LoginChallenge(UserId user, String passwordDigest, Optional<SessionId> previousSession, String returnTo, int failures,
                             Instant createdAt, Instant expiresAt) {
}
