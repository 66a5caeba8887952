package dev.doorman.oauth2;

import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;

/**
 * Deletes grant state nobody can use any more: codes some time after their expiry, expired pushed requests, and
 * refresh-token families past their absolute lifetime. Access-token rows go with
 * {@link dev.doorman.oauth2.revocation.RevocationList#purgeExpired()}. Meant for a periodic job; every node may run it.
 */
public final class OAuth2Purge {
    public record Purged(int codes, int pushedRequests, int refreshTokens) { }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration codeRetention;

    /**
     * @param codeRetention how long a code is kept after its expiry, so that a late replay is still recognised and
     *                      revokes what the code issued (OA-06); at least the access-token lifetime is sensible
     */
    public OAuth2Purge(Jdbi jdbi, Clock clock, Duration codeRetention) {
        if (codeRetention.isNegative()) throw new IllegalArgumentException("the code retention must not be negative");
        this.jdbi = jdbi;
        this.clock = clock;
        this.codeRetention = codeRetention;
    }

    public Purged purgeExpired() {
        long now = clock.millis();
        return jdbi.inTransaction(h -> new Purged(
                h.createUpdate("delete from authorization_codes where expires_at <= :before")
                        .bind("before", now - codeRetention.toMillis()).execute(),
                h.createUpdate("delete from pushed_authorization_requests where expires_at <= :now").bind("now", now).execute(),
                // A family is dead once past its absolute expiry, its rotated tokens with it: reuse no longer matters.
                h.createUpdate("delete from refresh_tokens where family_expires_at <= :now").bind("now", now).execute()));
    }
}
