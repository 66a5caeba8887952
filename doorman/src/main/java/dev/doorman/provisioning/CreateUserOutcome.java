package dev.doorman.provisioning;

import dev.doorman.account.Email;
import dev.doorman.account.PasswordPolicy;
import dev.doorman.account.User;

import java.util.Set;

/** How {@link ProvisioningService#createUser} ended. Only {@link Created} wrote anything. */
public sealed interface CreateUserOutcome {
    record Created(User user, Set<String> roles) implements CreateUserOutcome { }

    record EmailTaken(Email email) implements CreateUserOutcome { }

    record PasswordRejected(PasswordPolicy.Violation violation) implements CreateUserOutcome { }

    record UnknownRoles(Set<String> roles) implements CreateUserOutcome { }
}
