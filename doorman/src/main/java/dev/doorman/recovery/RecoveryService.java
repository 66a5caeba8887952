package dev.doorman.recovery;

import dev.doorman.account.AccountSettings;
import dev.doorman.account.ActionTokenStore.Purpose;
import dev.doorman.account.ActionTokens;
import dev.doorman.account.ActionTokens.Redemption;
import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.PasswordHasher;
import dev.doorman.account.PasswordPolicy;
import dev.doorman.account.User;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.mail.Mailer;
import dev.doorman.mail.Mails;
import dev.doorman.session.SessionService;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Tx;

import java.time.Clock;
import java.util.Optional;

/**
 * Forgotten passwords. Asking changes nothing and answers the same for every address; only a valid link
 * changes the password, after which every session ends and the owner is told. It never logs anyone in.
 */
public final class RecoveryService {
    private final UserStore users;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final ActionTokens tokens;
    private final SessionService sessions;
    private final Mailer mailer;
    private final Mails mails;
    private final AuditLog audit;
    private final Tx tx;
    private final Clock clock;
    private final AccountSettings settings;

    public RecoveryService(UserStore users, PasswordPolicy policy, PasswordHasher hasher, ActionTokens tokens, SessionService sessions,
                           Mailer mailer, Mails mails, AuditLog audit, Tx tx, Clock clock, AccountSettings settings) {
        this.users = users;
        this.policy = policy;
        this.hasher = hasher;
        this.tokens = tokens;
        this.sessions = sessions;
        this.mailer = mailer;
        this.mails = mails;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.settings = settings;
    }

    public void request(Email email, ClientInfo client) {
        Optional<User> user = users.findByEmail(email).filter(u -> !u.disabled());
        if (user.isEmpty()) {
            audit.unknownAccount(AuditType.PASSWORD_RESET_REQUESTED, AuditEvent.Outcome.FAILURE, "unknown_account", email, client);
            return;
        }
        String token = tokens.issue(user.get().id(), Purpose.RESET_PASSWORD, settings.resetTtl());
        audit.success(AuditType.PASSWORD_RESET_REQUESTED, Optional.of(user.get().id()), client);
        mailer.enqueue(mails.resetPassword(email, token, settings.resetTtl()));
    }

    /** Whether a link is still good, to decide between the form and an error page. */
    public Optional<RecoveryOutcome.Rejected> checkToken(String token) {
        return rejection(tokens.peek(token, Purpose.RESET_PASSWORD));
    }

    public RecoveryOutcome confirm(String token, Password password, ClientInfo client) {
        // Check the policy before spending the single-use token, so a weak password can be corrected.
        Redemption peeked = tokens.peek(token, Purpose.RESET_PASSWORD);
        if (!(peeked instanceof Redemption.Redeemed(var peekedUser))) return fail(peeked, client);
        Optional<User> user = users.find(peekedUser);
        if (user.isEmpty() || user.get().disabled()) return fail(new Redemption.Invalid(), client);
        var violation = policy.check(password, Optional.of(user.get().email()));
        if (violation.isPresent()) return new RecoveryOutcome.Rejected(violation.get().id(), violation.get().message());

        String hash = hasher.hash(password);
        Redemption redeemed = tx.inTransaction(() -> {
            Redemption r = tokens.redeem(token, Purpose.RESET_PASSWORD);
            if (r instanceof Redemption.Redeemed(var userId) && userId.equals(peekedUser)) {
                // Following the mailed link proves the mailbox, so the address counts as verified.
                User u = users.find(userId).orElseThrow();
                users.update(new User(u.id(), u.email(), u.name(), Optional.of(hash), true, u.disabled(), u.createdAt(), clock.instant()));
                sessions.revokeAllExcept(userId, Optional.empty(), client);
            }
            return r;
        });
        if (!(redeemed instanceof Redemption.Redeemed)) return fail(redeemed, client);
        audit.success(AuditType.PASSWORD_RESET_COMPLETED, Optional.of(peekedUser), client);
        mailer.enqueue(mails.passwordChanged(user.get().email()));
        return new RecoveryOutcome.Completed();
    }

    private RecoveryOutcome fail(Redemption redemption, ClientInfo client) {
        var rejected = rejection(redemption).orElseThrow();
        audit.failure(AuditType.PASSWORD_RESET_FAILED, rejected.id().substring("recovery.".length()), Optional.empty(), client);
        return rejected;
    }

    private static Optional<RecoveryOutcome.Rejected> rejection(Redemption redemption) {
        return switch (redemption) {
            case Redemption.Redeemed r -> Optional.empty();
            case Redemption.Expired e -> Optional.of(new RecoveryOutcome.Rejected("recovery.expired_token",
                    "This reset link has expired. Ask for a new one."));
            case Redemption.Invalid i -> Optional.of(new RecoveryOutcome.Rejected("recovery.invalid_token",
                    "This reset link is not valid or was already used. Ask for a new one."));
        };
    }
}
