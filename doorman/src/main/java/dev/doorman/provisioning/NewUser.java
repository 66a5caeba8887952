package dev.doorman.provisioning;

import dev.doorman.account.Email;
import dev.doorman.account.Password;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** An account an operator creates directly (the {@code user create} command). */
public record NewUser(Email email, Optional<String> name, Password password, boolean verified, Set<String> roles) {
    public NewUser {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        roles = Set.copyOf(roles);
    }
}
