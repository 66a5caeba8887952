package dev.doorman.mfa;

import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;

/**
 * Deletes second-factor state nobody can use any more: expired login challenges, pending TOTP secrets and WebAuthn
 * challenges, and wrong-code records older than the failure window. {@link dev.doorman.support.PurgeSchedule} runs it on every node.
 */
public final class MfaPurge {
    public record Purged(int challenges, int pendingTotp, int ceremonies, int failures) {
        public int total() {
            return challenges + pendingTotp + ceremonies + failures;
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration failureWindow;

    public MfaPurge(Jdbi jdbi, Clock clock, MfaSettings settings) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.failureWindow = settings.failureWindow();
    }

    /**
     * Each delete commits on its own, so no lock is held across tables, and nodes purging at once do not conflict: a
     * row another node deleted first is simply not counted here. The bounds match the readers' (a challenge or
     * ceremony is dead at its expiry instant, a failure counts while inside the window).
     */
    public Purged purgeExpired() {
        long now = clock.millis();
        return jdbi.withHandle(h -> new Purged(
                h.createUpdate("delete from mfa_challenges where expires_at <= :now").bind("now", now).execute(),
                h.createUpdate("delete from mfa_totp_pending where expires_at <= :now").bind("now", now).execute(),
                h.createUpdate("delete from webauthn_ceremonies where expires_at <= :now").bind("now", now).execute(),
                h.createUpdate("delete from mfa_failures where at < :since").bind("since", now - failureWindow.toMillis()).execute()));
    }
}
