package dev.doorman.login;

import dev.doorman.account.User;
import dev.doorman.session.SessionId;
import dev.doorman.session.SessionService;

import java.util.Optional;

public sealed interface LoginOutcome {
    record Authenticated(SessionService.Established session) implements LoginOutcome { }

    /**
     * The password was right and a second factor must follow: no session exists yet (MF-03).
     *
     * @param passwordHash the hash the password was verified against, so the second step can tell a change meanwhile
     * @param previous     a session the caller had, to end when the login completes
     */
    record NeedsSecondFactor(User user, String passwordHash, Optional<SessionId> previous) implements LoginOutcome {
        @Override
        public String toString() {
            return "NeedsSecondFactor[user=" + user.id() + "]";
        }
    }

    record Rejected(LoginRejection why) implements LoginOutcome { }

    /** Refused before the password was looked at: too many attempts (429 with Retry-After). {@code limit} names the limit. */
    record Throttled(java.time.Duration retryAfter, String limit) implements LoginOutcome { }

    /** Solve this proof of work, then send the attempt again (a browser does it by itself). */
    record ChallengeRequired(dev.doorman.guard.ProofOfWork.Challenge challenge) implements LoginOutcome { }
}
