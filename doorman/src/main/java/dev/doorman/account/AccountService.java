package dev.doorman.account;

import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.mail.Mailer;
import dev.doorman.mail.Mails;
import dev.doorman.session.Session;
import dev.doorman.session.SessionService;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Tx;

import java.time.Clock;
import java.util.Optional;

/** What a signed-in user does to their own account, and what an operator does to any account. */
public final class AccountService {
    private final UserStore users;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final ActionTokens tokens;
    private final Mailer mailer;
    private final Mails mails;
    private final AuditLog audit;
    private final Tx tx;
    private final Clock clock;

    public AccountService(UserStore users, PasswordPolicy policy, PasswordHasher hasher, SessionService sessions, ActionTokens tokens,
                          Mailer mailer, Mails mails, AuditLog audit, Tx tx, Clock clock) {
        this.users = users;
        this.policy = policy;
        this.hasher = hasher;
        this.sessions = sessions;
        this.tokens = tokens;
        this.mailer = mailer;
        this.mails = mails;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Optional<User> find(UserId id) {
        return users.find(id);
    }

    /** Needs the current password; ends every other session and any pending reset link, and tells the owner. */
    public PasswordChangeOutcome changePassword(Session current, Password currentPassword, Password newPassword, ClientInfo client) {
        User user = users.find(current.user()).orElseThrow(() -> new IllegalStateException("session without account"));
        boolean ok = user.passwordHash().map(h -> hasher.verify(currentPassword, h, PasswordHasher.Priority.FIRST)).orElseGet(() -> {
            hasher.dummyVerify(currentPassword, PasswordHasher.Priority.FIRST);
            return false;
        });
        if (!ok) {
            audit.failure(AuditType.PASSWORD_CHANGE_FAILED, "wrong_current_password", Optional.of(user.id()), client);
            return new PasswordChangeOutcome.Rejected("account.wrong_current_password", "The current password is incorrect.");
        }
        var violation = policy.check(newPassword, Optional.of(user.email()));
        if (violation.isPresent()) {
            audit.failure(AuditType.PASSWORD_CHANGE_FAILED, violation.get().id(), Optional.of(user.id()), client);
            return new PasswordChangeOutcome.Rejected(violation.get().id(), violation.get().message());
        }
        String hash = hasher.hash(newPassword, PasswordHasher.Priority.FIRST);
        tx.run(() -> {
            users.update(user.withPasswordHash(hash, clock.instant()));
            sessions.revokeAllExcept(user.id(), Optional.of(current.id()), client);
            tokens.revokeAll(user.id(), ActionTokenStore.Purpose.RESET_PASSWORD);
        });
        audit.success(AuditType.PASSWORD_CHANGED, Optional.of(user.id()), client);
        mailer.enqueue(mails.passwordChanged(user.email()));
        return new PasswordChangeOutcome.Changed();
    }

    /** Ends every session of the account now (an operator replaced its password, say). */
    public int endAllSessions(UserId id, ClientInfo client) {
        return sessions.revokeAllExcept(id, Optional.empty(), client);
    }

    /** An operator disables an account: it can no longer log in, and every session ends now. */
    public boolean disable(UserId id, ClientInfo client) {
        Optional<User> user = users.find(id);
        if (user.isEmpty()) return false;
        User u = user.get();
        tx.run(() -> {
            users.update(new User(u.id(), u.email(), u.name(), u.passwordHash(), u.emailVerified(), true, u.createdAt(), clock.instant()));
            sessions.revokeAllExcept(u.id(), Optional.empty(), client);
        });
        audit.success(AuditType.USER_DISABLED, Optional.of(u.id()), client);
        return true;
    }
}
