package dev.doorman.login;

import dev.doorman.account.AccountSettings;
import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.PasswordHasher;
import dev.doorman.account.User;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.session.Session;
import dev.doorman.session.SessionService;
import dev.doorman.support.ClientInfo;

import java.time.Clock;
import java.util.Optional;

/** The password step. Every path costs one Argon2id verification, so timing does not tell accounts apart. */
public final class LoginService {
    private final UserStore users;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final AuditLog audit;
    private final Clock clock;
    private final AccountSettings settings;

    public LoginService(UserStore users, PasswordHasher hasher, SessionService sessions, AuditLog audit, Clock clock,
                        AccountSettings settings) {
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
        this.settings = settings;
    }

    /** A login whose identifier is not an e-mail address: the same answer, cost and audit trail as an unknown account. */
    public LoginOutcome rejectMalformed(String identifier, Password password, ClientInfo client) {
        hasher.dummyVerify(password);
        audit.unknownIdentifier(AuditType.LOGIN_FAILED, AuditEvent.Outcome.FAILURE, "invalid_identifier", identifier, client);
        return new LoginOutcome.Rejected(LoginRejection.INVALID_CREDENTIALS);
    }

    /**
     * @param previous a session the caller already had: it is ended, and the new session gets a new secret
     */
    public LoginOutcome login(Email email, Password password, Optional<Session> previous, ClientInfo client) {
        Optional<User> found = users.findByEmail(email);
        if (found.isEmpty()) {
            hasher.dummyVerify(password);
            audit.unknownAccount(AuditType.LOGIN_FAILED, AuditEvent.Outcome.FAILURE, "unknown_account", email, client);
            return new LoginOutcome.Rejected(LoginRejection.INVALID_CREDENTIALS);
        }
        User user = found.get();
        boolean passwordOk = user.passwordHash().map(h -> hasher.verify(password, h)).orElseGet(() -> {
            hasher.dummyVerify(password);
            return false;
        });
        if (!passwordOk || user.disabled()) {
            audit.failure(AuditType.LOGIN_FAILED, passwordOk ? "account_disabled" : "wrong_password", Optional.of(user.id()), client);
            return new LoginOutcome.Rejected(LoginRejection.INVALID_CREDENTIALS);
        }
        if (settings.requireVerifiedEmail() && !user.emailVerified()) {
            audit.failure(AuditType.LOGIN_FAILED, "email_not_verified", Optional.of(user.id()), client);
            return new LoginOutcome.Rejected(LoginRejection.EMAIL_NOT_VERIFIED);
        }
        if (hasher.needsRehash(user.passwordHash().orElseThrow())) {
            users.update(user.withPasswordHash(hasher.hash(password), clock.instant()));
        }
        previous.ifPresent(p -> sessions.revoke(p.user(), p.id(), client));
        var established = sessions.establish(user.id(), client);
        audit.success(AuditType.LOGIN_SUCCEEDED, Optional.of(user.id()), client);
        return new LoginOutcome.Authenticated(established);
    }
}
