package dev.doorman.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface UserStore {
    /** Inserts; returns false (and changes nothing) when the e-mail is taken. */
    boolean insert(User user);

    Optional<User> find(UserId id);

    Optional<User> findByEmail(Email email);

    /** Saves the mutable fields: name, password hash, verified and disabled flags. */
    void update(User user);

    List<User> list(int offset, int limit);

    /**
     * Inside a transaction: locks the account row if it still has this password hash and is not disabled, so a
     * concurrent password change, reset or disable either waits for the caller's transaction or makes this false.
     */
    boolean lockIfUnchanged(UserId id, String passwordHash);
}
