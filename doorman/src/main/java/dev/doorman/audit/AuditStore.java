package dev.doorman.audit;

import dev.doorman.account.UserId;

import java.util.List;

public interface AuditStore {
    void append(AuditEvent event);

    /** Newest first. */
    List<AuditEvent> recent(int limit);

    /** Newest first. */
    List<AuditEvent> forUser(UserId user, int limit);
}
