package dev.doorman.mfa;

import dev.doorman.account.UserId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface PasskeyStore {
    /** False when the credential id is registered already (to anyone). */
    boolean save(Passkey passkey);

    List<Passkey> listByUser(UserId user);

    Optional<Passkey> findByCredentialId(String credentialId);

    /** After a verified assertion: the new counter and backup state. */
    void used(String id, long signCount, boolean backupState, Instant at);

    boolean rename(UserId user, String id, String name);

    boolean remove(UserId user, String id);
}
