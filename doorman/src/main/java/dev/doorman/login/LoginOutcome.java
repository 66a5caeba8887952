package dev.doorman.login;

import dev.doorman.session.SessionService;

public sealed interface LoginOutcome {
    record Authenticated(SessionService.Established session) implements LoginOutcome { }

    record Rejected(LoginRejection why) implements LoginOutcome { }

    /** Refused before the password was looked at: too many attempts (429 with Retry-After). {@code limit} names the limit. */
    record Throttled(java.time.Duration retryAfter, String limit) implements LoginOutcome { }

    /** Solve this proof of work, then send the attempt again (a browser does it by itself). */
    record ChallengeRequired(dev.doorman.guard.ProofOfWork.Challenge challenge) implements LoginOutcome { }
}
