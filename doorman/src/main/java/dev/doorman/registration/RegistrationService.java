package dev.doorman.registration;

import dev.doorman.account.AccountSettings;
import dev.doorman.account.ActionTokenStore.Purpose;
import dev.doorman.account.ActionTokens;
import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.PasswordHasher;
import dev.doorman.account.PasswordPolicy;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.mail.Mailer;
import dev.doorman.mail.Mails;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Tx;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Self-service sign-up. A taken address gets the same response and the same cost (one Argon2id hash) as a new
 * one; its owner is told by mail instead.
 */
public final class RegistrationService {
    private final UserStore users;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final ActionTokens tokens;
    private final Mailer mailer;
    private final Mails mails;
    private final AuditLog audit;
    private final Tx tx;
    private final Clock clock;
    private final AccountSettings settings;

    public RegistrationService(UserStore users, PasswordPolicy policy, PasswordHasher hasher, ActionTokens tokens, Mailer mailer,
                               Mails mails, AuditLog audit, Tx tx, Clock clock, AccountSettings settings) {
        this.users = users;
        this.policy = policy;
        this.hasher = hasher;
        this.tokens = tokens;
        this.mailer = mailer;
        this.mails = mails;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.settings = settings;
    }

    public RegistrationOutcome register(Email email, Password password, Optional<String> name, ClientInfo client) {
        var violation = policy.check(password, Optional.of(email));
        if (violation.isPresent()) return new RegistrationOutcome.Rejected(violation.get());
        String hash = hasher.hash(password);   // before the lookup, so both paths pay for it
        Instant now = clock.instant();
        var user = new User(UserId.random(), email, name, Optional.of(hash), false, false, now, now);
        Optional<String> verificationToken = tx.inTransaction(() -> {
            if (!users.insert(user)) return Optional.empty();
            return Optional.of(tokens.issue(user.id(), Purpose.VERIFY_EMAIL, settings.verificationTtl()));
        });
        if (verificationToken.isPresent()) {
            audit.success(AuditType.ACCOUNT_REGISTERED, Optional.of(user.id()), client);
            mailer.enqueue(mails.verifyEmail(email, verificationToken.get(), settings.verificationTtl()));
        } else {
            audit.unknownAccount(AuditType.REGISTRATION_FOR_EXISTING_EMAIL, AuditEvent.Outcome.FAILURE, "email_taken", email, client);
            mailer.enqueue(mails.registrationAttempt(email));
        }
        return new RegistrationOutcome.Accepted();
    }
}
