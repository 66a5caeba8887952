package dev.doorman.session;

import dev.doorman.account.UserId;
import dev.doorman.support.ClientInfo;

import java.time.Instant;

/**
 * A server-side session. The cookie carries a 256-bit secret; the database holds only its SHA-256.
 *
 * @param expiresAt the absolute timeout: no amount of activity extends it
 * @param authTime  when the user last proved who they are
 */
public record Session(SessionId id, UserId user, Instant createdAt, Instant lastSeenAt, Instant expiresAt,
                      Instant authTime, ClientInfo client) {

    public Session seenAt(Instant now) {
        return new Session(id, user, createdAt, now, expiresAt, authTime, client);
    }
}
