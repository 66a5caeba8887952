package dev.doorman.mfa;

import dev.doorman.account.UserId;

import java.time.Instant;

/** Wrong second-factor attempts per account, across login challenges and step-ups (RL-05's per-account part). */
public interface FailureCounter {
    /** Records one failure at {@code now} and forgets those older than {@code since}. */
    void record(UserId user, Instant now, Instant since);

    int countSince(UserId user, Instant since);

    /** A correct code: the count starts over. */
    void clear(UserId user);
}
