package dev.doorman.mfa;

import dev.doorman.account.UserId;

import java.time.Instant;
import java.util.Optional;

/** TOTP secrets, sealed: the confirmed one of each user and the one being enrolled. */
public interface TotpStore {
    record Credential(UserId user, String sealedSecret, long lastStep, Instant createdAt) { }

    /** Replaces the user's pending (unconfirmed) secret. */
    void savePending(UserId user, String sealedSecret, Instant expiresAt);

    /** The pending secret, if it has not expired. */
    Optional<String> findPending(UserId user, Instant now);

    /**
     * Takes the pending secret {@code pendingSealed} and makes {@code activeSealed} (the same secret, sealed for use)
     * the user's authenticator, with {@code step} already used. False (and nothing changes) when the user already has
     * one or the pending secret is gone.
     */
    boolean confirm(UserId user, String pendingSealed, String activeSealed, long step, Instant now);

    Optional<Credential> find(UserId user);

    /** Atomically accepts {@code step} if it is newer than the last one used: false is a replay (MF-01). */
    boolean useStep(UserId user, long step);

    boolean remove(UserId user);
}
