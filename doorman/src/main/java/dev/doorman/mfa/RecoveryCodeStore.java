package dev.doorman.mfa;

import dev.doorman.account.UserId;

import java.time.Instant;
import java.util.List;

/** Recovery codes, as SHA-256 hashes only. */
public interface RecoveryCodeStore {
    /** The user's codes become exactly these: every older one dies. */
    void replace(UserId user, List<String> hashes, Instant now);

    /** Atomically uses one code of this user: true once, false for a used, unknown or another user's code. */
    boolean consume(UserId user, String hash);

    int count(UserId user);

    void removeAll(UserId user);
}
