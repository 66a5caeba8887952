package dev.doorman.mfa;

import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;

/**
 * Deletes second-factor state nobody can use any more: expired login challenges, pending TOTP secrets and WebAuthn
 * challenges, and wrong-code records older than the failure window. Meant for a periodic job, like
 * {@link dev.doorman.oauth2.OAuth2Purge}; every node may run it.
 */
public final class MfaPurge {
    public record Purged(int challenges, int pendingTotp, int ceremonies, int failures) { }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration failureWindow;

    public MfaPurge(Jdbi jdbi, Clock clock, MfaSettings settings) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.failureWindow = settings.failureWindow();
    }

    public Purged purgeExpired() {
        long now = clock.millis();
        return jdbi.inTransaction(h -> new Purged(
                h.createUpdate("delete from mfa_challenges where expires_at <= :now").bind("now", now).execute(),
                h.createUpdate("delete from mfa_totp_pending where expires_at <= :now").bind("now", now).execute(),
                h.createUpdate("delete from webauthn_ceremonies where expires_at <= :now").bind("now", now).execute(),
                h.createUpdate("delete from mfa_failures where at < :since").bind("since", now - failureWindow.toMillis()).execute()));
    }
}
