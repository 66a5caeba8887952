package dev.doorman.mfa;

import dev.doorman.account.UserId;

import java.time.Instant;
import java.util.Optional;

/** WebAuthn challenges handed out, single use: each is consumed by the one response that answers it. */
public interface CeremonyStore {
    enum Purpose { REGISTER, SECOND_FACTOR, STEP_UP, PASSWORDLESS }

    record Ceremony(Purpose purpose, Optional<UserId> user, Optional<String> binding, Instant expiresAt) { }

    void save(String challengeHash, Ceremony ceremony);

    /** Atomically takes the ceremony of this challenge: present for exactly one caller. */
    Optional<Ceremony> consume(String challengeHash);
}
