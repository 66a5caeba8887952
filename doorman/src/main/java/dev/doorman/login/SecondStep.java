package dev.doorman.login;

import dev.doorman.account.UserId;

/** Whether a login needs a second step after the right password (the user has a second factor, or must enroll one). */
@FunctionalInterface
public interface SecondStep {
    SecondStep NEVER = user -> false;

    boolean required(UserId user);
}
