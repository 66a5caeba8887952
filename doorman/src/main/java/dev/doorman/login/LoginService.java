package dev.doorman.login;

import dev.doorman.account.AccountSettings;
import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.PasswordHasher;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.guard.LoginGuard;
import dev.doorman.session.Session;
import dev.doorman.session.SessionService;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Tx;

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
    private final Tx tx;
    private final LoginGuard guard;
    private final PasswordAccepted passwordAccepted;
    private final SecondStep secondStep;

    /** Told of every password verified at a successful login (the breached-password check at login). */
    @FunctionalInterface
    public interface PasswordAccepted {
        PasswordAccepted NONE = (user, password, client) -> { };

        void accepted(UserId user, Password password, ClientInfo client);
    }

    /**
     * @param guard            rate limits, delays, challenges and lockouts around each attempt
     * @param passwordAccepted told of every password verified (the breached-password check at login)
     * @param secondStep       whether an account needs a second factor after its password
     */
    public LoginService(UserStore users, PasswordHasher hasher, SessionService sessions, AuditLog audit, Clock clock,
                        AccountSettings settings, Tx tx, LoginGuard guard, PasswordAccepted passwordAccepted, SecondStep secondStep) {
        this.guard = guard;
        this.passwordAccepted = passwordAccepted;
        this.secondStep = secondStep;
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
        this.settings = settings;
        this.tx = tx;
    }

    /** A login whose identifier is not an e-mail address: the same answer, cost and audit trail as an unknown account. */
    public LoginOutcome rejectMalformed(String identifier, Password password, ClientInfo client) {
        return rejectMalformed(identifier, password, LoginGuard.Attempt.stranger(identifier, client));
    }

    /** The same, with what the guard needs (a proof of work sent along, an unlock pass). */
    public LoginOutcome rejectMalformed(String identifier, Password password, LoginGuard.Attempt attempt) {
        var refused = admit(attempt);
        if (refused.isPresent()) return refused.get();
        shedIfBusy(() -> hasher.dummyVerify(password, priority(attempt)), attempt);
        audit.unknownIdentifier(AuditType.LOGIN_FAILED, AuditEvent.Outcome.FAILURE, "invalid_identifier", identifier, attempt.client());
        guard.failed(attempt, Optional.empty());
        return new LoginOutcome.Rejected(LoginRejection.INVALID_CREDENTIALS);
    }

    public LoginOutcome login(Email email, Password password, Optional<Session> previous, ClientInfo client) {
        return login(email, password, previous, LoginGuard.Attempt.stranger(email.value(), client));
    }

    /** Decided before any hashing: a throttled or unsolved attempt costs no Argon2 work. */
    private Optional<LoginOutcome> admit(LoginGuard.Attempt attempt) {
        return switch (guard.admit(attempt)) {
            case LoginGuard.Admission.Admitted a -> Optional.empty();
            case LoginGuard.Admission.Refused r -> Optional.of(new LoginOutcome.Throttled(r.retryAfter(), r.limit()));
            case LoginGuard.Admission.ChallengeRequired c -> Optional.of(new LoginOutcome.ChallengeRequired(c.challenge()));
        };
    }

    /** A browser that proved itself for the account before goes ahead of strangers when hashes wait for a core. */
    private static PasswordHasher.Priority priority(LoginGuard.Attempt attempt) {
        return attempt.known() ? PasswordHasher.Priority.FIRST : PasswordHasher.Priority.NORMAL;
    }

    /**
     * Every hashing slot and its queue busy: the attempt is refused at once (503) and recorded. A stranger keeps the
     * failure it took from the guard's burst budget when it was let in: a flood that keeps the pool full trips the
     * budget as its failures would, and strangers then need a proof of work before any hashing.
     */
    private <T> T shedIfBusy(java.util.function.Supplier<T> work, LoginGuard.Attempt attempt) {
        try {
            return work.get();
        } catch (PasswordHasher.Overloaded e) {
            audit.failure(AuditType.LOGIN_SHED, "hash_pool_full", Optional.empty(), attempt.client());
            throw e;
        }
    }

    private void shedIfBusy(Runnable work, LoginGuard.Attempt attempt) {
        shedIfBusy(() -> {
            work.run();
            return null;
        }, attempt);
    }

    /**
     * @param previous a session the caller already had: it is ended, and the new session gets a new secret
     */
    public LoginOutcome login(Email email, Password password, Optional<Session> previous, LoginGuard.Attempt attempt) {
        var refused = admit(attempt);
        if (refused.isPresent()) return refused.get();
        ClientInfo client = attempt.client();
        Optional<User> found = users.findByEmail(email);
        var priority = priority(attempt);
        if (found.isEmpty()) {
            shedIfBusy(() -> hasher.dummyVerify(password, priority), attempt);
            audit.unknownAccount(AuditType.LOGIN_FAILED, AuditEvent.Outcome.FAILURE, "unknown_account", email, client);
            guard.failed(attempt, Optional.empty());
            return new LoginOutcome.Rejected(LoginRejection.INVALID_CREDENTIALS);
        }
        User user = found.get();
        boolean passwordOk = shedIfBusy(() -> user.passwordHash().map(h -> hasher.verify(password, h, priority)).orElseGet(() -> {
            hasher.dummyVerify(password, priority);
            return false;
        }), attempt);
        if (!passwordOk || user.disabled()) {
            audit.failure(AuditType.LOGIN_FAILED, passwordOk ? "account_disabled" : "wrong_password", Optional.of(user.id()), client);
            guard.failed(attempt, Optional.of(user));
            return new LoginOutcome.Rejected(LoginRejection.INVALID_CREDENTIALS);
        }
        guard.succeeded(attempt);
        if (settings.requireVerifiedEmail() && !user.emailVerified()) {
            audit.failure(AuditType.LOGIN_FAILED, "email_not_verified", Optional.of(user.id()), client);
            return new LoginOutcome.Rejected(LoginRejection.EMAIL_NOT_VERIFIED);
        }
        String verifiedHash = user.passwordHash().orElseThrow();
        String rehash = hasher.needsRehash(verifiedHash) ? hasher.hash(password, priority) : null;
        if (secondStep.required(user.id())) return secondFactorNext(user, password, verifiedHash, rehash, previous, client);
        // The session starts only if the account still has the password just verified and is not disabled: a change,
        // reset or disable that commits meanwhile must not be outlived by a session it never saw.
        var established = tx.inTransaction(() -> {
            if (!users.lockIfUnchanged(user.id(), verifiedHash)) return null;
            if (rehash != null) users.update(user.withPasswordHash(rehash, clock.instant()));
            previous.ifPresent(p -> sessions.revoke(p.user(), p.id(), client));
            return sessions.establish(user.id(), client);
        });
        if (established == null) {
            audit.failure(AuditType.LOGIN_FAILED, "credentials_changed", Optional.of(user.id()), client);
            return new LoginOutcome.Rejected(LoginRejection.INVALID_CREDENTIALS);
        }
        audit.success(AuditType.LOGIN_SUCCEEDED, Optional.of(user.id()), client);
        passwordAccepted.accepted(user.id(), password, client);
        return new LoginOutcome.Authenticated(established);
    }

    /** The password was right, but no session starts before the second factor; a due rehash is still saved. */
    private LoginOutcome secondFactorNext(User user, Password password, String verifiedHash, String rehash, Optional<Session> previous,
                                          ClientInfo client) {
        String current = tx.inTransaction(() -> {
            if (!users.lockIfUnchanged(user.id(), verifiedHash)) return null;
            if (rehash == null) return verifiedHash;
            users.update(user.withPasswordHash(rehash, clock.instant()));
            return rehash;
        });
        if (current == null) {
            audit.failure(AuditType.LOGIN_FAILED, "credentials_changed", Optional.of(user.id()), client);
            return new LoginOutcome.Rejected(LoginRejection.INVALID_CREDENTIALS);
        }
        // The password itself was right: the breached-password check applies whatever the second factor.
        passwordAccepted.accepted(user.id(), password, client);
        return new LoginOutcome.NeedsSecondFactor(user, current, previous.map(Session::id));
    }
}
