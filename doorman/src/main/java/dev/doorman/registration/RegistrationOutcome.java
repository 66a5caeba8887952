package dev.doorman.registration;

import dev.doorman.account.PasswordPolicy;

public sealed interface RegistrationOutcome {
    /** The same answer whether the address was new or taken: the mailbox learns which, the caller does not. */
    record Accepted() implements RegistrationOutcome { }

    record Rejected(PasswordPolicy.Violation violation) implements RegistrationOutcome { }
}
