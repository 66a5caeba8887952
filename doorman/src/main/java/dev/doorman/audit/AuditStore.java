package dev.doorman.audit;

import dev.doorman.account.UserId;

import java.util.List;

public interface AuditStore {
    void append(AuditEvent event);

    /**
     * Like {@link #append} for a {@link AuditType#refusal()}: may be written shortly after, together with others in one
     * transaction. Reads through this store see it at once. Not for use inside a transaction (a refusal changed
     * nothing, so there is none to join): the batch it may write would join the caller's and share its fate.
     */
    default void appendSoon(AuditEvent event) {
        append(event);
    }

    /** Newest first. */
    List<AuditEvent> recent(int limit);

    /** Newest first. */
    List<AuditEvent> forUser(UserId user, int limit);
}
