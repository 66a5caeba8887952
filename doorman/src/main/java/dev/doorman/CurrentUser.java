package dev.doorman;

import dev.doorman.account.Email;
import dev.doorman.account.UserId;
import dev.doorman.session.SessionId;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** The answer to "who is calling?" for an embedding app's own handlers. */
public record CurrentUser(UserId id, Email email, Optional<String> name, boolean emailVerified, Set<String> roles,
                          SessionId session, Instant authTime) {
}
