package dev.doorman.mfa;

import dev.doorman.account.UserId;

import java.util.Optional;

/** Pending second-factor logins, under the SHA-256 of their token; and the per-account count of wrong codes. */
public interface LoginChallengeStore {
    void save(String tokenHash, LoginChallenge challenge);

    Optional<LoginChallenge> find(String tokenHash);

    /** Counts one wrong code against the challenge; returns the new count (0 when the challenge is gone). */
    int recordFailure(String tokenHash);

    /** Atomically takes the challenge: true for exactly one caller. */
    boolean remove(String tokenHash);

    /** Removes every challenge of the user (a factor or the password changed). */
    void removeAll(UserId user);
}
