package dev.doorman.session;

import dev.doorman.account.UserId;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Creates, resolves and ends sessions; enforces the idle and absolute timeouts on the server. */
public final class SessionService {
    /** A session together with the secret for its cookie; the secret exists only here and in the cookie. */
    public record Established(Session session, String token) { }

    private final SessionStore store;
    private final Secrets secrets;
    private final Clock clock;
    private final SessionSettings settings;
    private final AuditLog audit;
    private final SessionEndListener ended;

    public SessionService(SessionStore store, Secrets secrets, Clock clock, SessionSettings settings, AuditLog audit) {
        this(store, secrets, clock, settings, audit, SessionEndListener.NONE);
    }

    /** @param ended told of every logout and revocation, so tokens issued under the sessions die with them (SE-07) */
    public SessionService(SessionStore store, Secrets secrets, Clock clock, SessionSettings settings, AuditLog audit,
                          SessionEndListener ended) {
        this.ended = ended;
        this.store = store;
        this.secrets = secrets;
        this.clock = clock;
        this.settings = settings;
        this.audit = audit;
    }

    /** A brand-new session (fixation defence: a fresh secret every time). */
    public Established establish(UserId user, ClientInfo client) {
        return establish(user, Session.PASSWORD_ONLY, false, client);
    }

    /**
     * A brand-new session after a login that proved {@code amr}.
     *
     * @param secondFactor whether a second factor was checked just now (its time is recorded for step-up)
     */
    public Established establish(UserId user, List<String> amr, boolean secondFactor, ClientInfo client) {
        Instant now = clock.instant();
        String token = secrets.newToken();
        var session = new Session(new SessionId(UUID.randomUUID()), user, now, now, now.plus(settings.absoluteTimeout()), now, client,
                amr, secondFactor ? Optional.of(now) : Optional.empty());
        store.save(session, Secrets.hash(token));
        return new Established(session, token);
    }

    /**
     * The user proved themselves again within {@code session} (step-up, re-authentication): the session keeps its id
     * and absolute timeout, gets a new secret (the old cookie dies, SE-02), the new methods and a fresh auth time.
     * Empty when the session ended meanwhile.
     */
    public Optional<Established> reauthenticate(Session session, List<String> amr, boolean secondFactor) {
        Instant now = clock.instant();
        String token = secrets.newToken();
        Optional<Instant> secondFactorAt = secondFactor ? Optional.of(now) : session.secondFactorAt();
        if (!store.reauthenticated(session.id(), Secrets.hash(token), now, amr, secondFactorAt)) return Optional.empty();
        var updated = new Session(session.id(), session.user(), session.createdAt(), now, session.expiresAt(), now, session.client(),
                amr, secondFactorAt);
        return Optional.of(new Established(updated, token));
    }

    /** The live session behind a cookie value, if any; marks it used. Expired sessions are deleted. */
    public Optional<Session> resolve(String token) {
        if (!Secrets.looksLikeToken(token)) return Optional.empty();
        Optional<Session> found = store.findByTokenHash(Secrets.hash(token));
        if (found.isEmpty()) return Optional.empty();
        Session session = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(session.expiresAt()) || !now.isBefore(session.lastSeenAt().plus(settings.idleTimeout()))) {
            store.remove(session.user(), session.id());
            audit.failure(AuditType.SESSION_EXPIRED, now.isBefore(session.expiresAt()) ? "idle_timeout" : "absolute_timeout",
                    Optional.of(session.user()), session.client());
            return Optional.empty();
        }
        // Writing last-seen on every request would make every read a write; a coarse step keeps the idle timer honest.
        if (Duration.between(session.lastSeenAt(), now).compareTo(touchStep()) >= 0) {
            store.touch(session.id(), now);
            session = session.seenAt(now);
        }
        return Optional.of(session);
    }

    private Duration touchStep() {
        Duration tenth = settings.idleTimeout().dividedBy(10);
        return tenth.compareTo(Duration.ofMinutes(1)) < 0 ? tenth : Duration.ofMinutes(1);
    }

    /** The user's live sessions: one past its idle or absolute timeout is dead even before a request deletes it. */
    public List<Session> list(UserId user) {
        Instant now = clock.instant();
        return store.listByUser(user).stream()
                .filter(s -> now.isBefore(s.expiresAt()) && now.isBefore(s.lastSeenAt().plus(settings.idleTimeout())))
                .toList();
    }

    public void logout(Session session, ClientInfo client) {
        store.remove(session.user(), session.id());
        ended.sessionEnded(session.user(), session.id());
        audit.success(AuditType.LOGGED_OUT, Optional.of(session.user()), client);
    }

    /** Revokes one of the user's own sessions; false when the user has no such session. */
    public boolean revoke(UserId user, SessionId id, ClientInfo client) {
        boolean removed = store.remove(user, id);
        if (removed) ended.sessionEnded(user, id);
        if (removed) audit.success(AuditType.SESSION_REVOKED, Optional.of(user), client);
        return removed;
    }

    /** Ends every session of the user except {@code keep} (password change and reset, "log out everywhere else"). */
    public int revokeAllExcept(UserId user, Optional<SessionId> keep, ClientInfo client) {
        int removed = store.removeAllExcept(user, keep);
        // Refresh tokens outlive sessions, so they go even when no other session was left (SE-07).
        ended.allSessionsEnded(user);
        if (removed > 0) audit.success(AuditType.SESSION_REVOKED, Optional.of(user), client);
        return removed;
    }

    public SessionSettings settings() {
        return settings;
    }
}
