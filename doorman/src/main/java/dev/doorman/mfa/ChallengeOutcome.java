package dev.doorman.mfa;

import dev.doorman.session.SessionService;

import java.util.List;

/** How a second-factor step of a login ended. */
public sealed interface ChallengeOutcome {
    /**
     * The login is complete: a new full session.
     *
     * @param recoveryCodes codes to show once (after an enrollment the login demanded), else empty
     */
    record Completed(SessionService.Established session, String returnTo, List<String> recoveryCodes) implements ChallengeOutcome { }

    /** A wrong code; the challenge lives on. */
    record Wrong(String id, String message) implements ChallengeOutcome { }

    /** No such challenge: expired, finished, killed after too many wrong codes, or never issued. Start with the password again. */
    record Expired() implements ChallengeOutcome { }

    /** Too many wrong codes for this account lately. */
    record Locked() implements ChallengeOutcome { }
}
