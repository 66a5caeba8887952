package dev.doorman.mfa;

import dev.doorman.account.User;

/** How a WebAuthn response ended. */
public sealed interface PasskeyOutcome {
    record Registered(Passkey passkey) implements PasskeyOutcome { }

    /** A verified assertion by {@code passkey} of {@code user}; {@code userVerified}: the authenticator checked a PIN or biometric. */
    record Verified(Passkey passkey, User user, boolean userVerified) implements PasskeyOutcome { }

    /** @param id a stable reason, e.g. {@code passkey.unknown_challenge}, {@code passkey.bad_origin}, {@code passkey.cloned} */
    record Rejected(String id, String message) implements PasskeyOutcome { }
}
