package dev.doorman.mfa;

import dev.doorman.session.SessionService;

/** How a re-authentication within a session ended. */
public sealed interface StepUpOutcome {
    /** The session proved itself again: a new secret for its cookie, the new methods and times recorded. */
    record Elevated(SessionService.Established session) implements StepUpOutcome { }

    record Wrong(String id, String message) implements StepUpOutcome { }

    record Locked() implements StepUpOutcome { }

    /** The session ended meanwhile. */
    record Gone() implements StepUpOutcome { }
}
