package dev.doorman.examples.logindemo;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The app's own server-side state, keyed by random cookie values: logins in progress (single use, 10 minutes) and
 * signed-in sessions (8 hours). In memory, as befits a demo: a real app keeps them in its database or Redis so that
 * a restart or a second node does not sign everyone out.
 */
public final class DemoSessions {
    public static final Duration LOGIN_TTL = Duration.ofMinutes(10);
    public static final Duration SESSION_TTL = Duration.ofHours(8);

    /** A signed-in browser: the user, the tokens (never sent to the browser) and the CSRF token of its forms. */
    public record Session(OidcClient.SignedIn user, String csrfToken, Instant expiresAt) { }

    private record Pending(OidcClient.PendingLogin login, Instant expiresAt) { }

    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public DemoSessions(Clock clock) {
        this.clock = clock;
    }

    /** Keeps a login in progress; returns the cookie value that finds it again. */
    public String startLogin(OidcClient.PendingLogin login) {
        purgeExpired();
        String id = newId();
        pending.put(id, new Pending(login, clock.instant().plus(LOGIN_TTL)));
        return id;
    }

    /** The login in progress, once: a second callback with the same cookie finds nothing. */
    public Optional<OidcClient.PendingLogin> takeLogin(String id) {
        if (id == null) return Optional.empty();
        Pending found = pending.remove(id);
        return found == null || found.expiresAt().isBefore(clock.instant()) ? Optional.empty() : Optional.of(found.login());
    }

    /** A new session with a new id: never one the browser brought along (no fixation). */
    public String create(OidcClient.SignedIn user) {
        String id = newId();
        sessions.put(id, new Session(user, newId(), clock.instant().plus(SESSION_TTL)));
        return id;
    }

    public Optional<Session> find(String id) {
        if (id == null) return Optional.empty();
        Session session = sessions.get(id);
        if (session == null) return Optional.empty();
        if (session.expiresAt().isBefore(clock.instant())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    public Optional<Session> end(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(sessions.remove(id));
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        pending.values().removeIf(p -> p.expiresAt().isBefore(now));
        sessions.values().removeIf(s -> s.expiresAt().isBefore(now));
    }

    private String newId() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
