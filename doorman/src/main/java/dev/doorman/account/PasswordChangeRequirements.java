package dev.doorman.account;

import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditType;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;

/**
 * Accounts that must choose a new password before anything else. A successful password change or reset lifts the
 * requirement: the store listens to the audit trail for those events, so every way a password changes is covered
 * without each flow having to remember.
 */
public final class PasswordChangeRequirements {
    private final Jdbi jdbi;

    public PasswordChangeRequirements(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void require(UserId user, String reason, Instant since) {
        jdbi.useTransaction(h -> {
            h.createUpdate("delete from password_change_required where user_id = :user").bind("user", user.toString()).execute();
            h.createUpdate("insert into password_change_required (user_id, reason, since) values (:user, :reason, :since)")
                    .bind("user", user.toString()).bind("reason", reason).bind("since", since.toEpochMilli()).execute();
        });
    }

    public boolean isRequired(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from password_change_required where user_id = :user")
                .bind("user", user.toString()).mapTo(Long.class).one() > 0);
    }

    /** Audit listener: a successful password change or completed reset lifts the requirement for that account. */
    public void onAudit(AuditEvent event) {
        if (event.outcome() != AuditEvent.Outcome.SUCCESS || event.user().isEmpty()) return;
        if (event.type() != AuditType.PASSWORD_CHANGED && event.type() != AuditType.PASSWORD_RESET_COMPLETED) return;
        jdbi.useHandle(h -> h.createUpdate("delete from password_change_required where user_id = :user")
                .bind("user", event.user().get().toString()).execute());
    }
}
