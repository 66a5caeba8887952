package dev.doorman.session;

import dev.doorman.account.UserId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface SessionStore {
    void save(Session session, String tokenHash);

    Optional<Session> findByTokenHash(String tokenHash);

    List<Session> listByUser(UserId user);

    /** Moves last-seen forward (the idle timer). */
    void touch(SessionId id, Instant lastSeen);

    /**
     * The user proved themselves again in this session (a step-up or re-authentication): a new secret replaces the
     * old one (SE-02), and what was proved is recorded. False when the session is gone.
     */
    boolean reauthenticated(SessionId id, String newTokenHash, Instant authTime, List<String> amr, Optional<Instant> secondFactorAt);

    /** Returns whether a session of this user was removed. */
    boolean remove(UserId user, SessionId id);

    /** Removes every session of the user except {@code keep}; returns how many went. */
    int removeAllExcept(UserId user, Optional<SessionId> keep);
}
