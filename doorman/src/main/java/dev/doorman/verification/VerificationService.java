package dev.doorman.verification;

import dev.doorman.account.AccountSettings;
import dev.doorman.account.ActionTokenStore.Purpose;
import dev.doorman.account.ActionTokens;
import dev.doorman.account.ActionTokens.Redemption;
import dev.doorman.account.Email;
import dev.doorman.account.User;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.mail.Mailer;
import dev.doorman.mail.Mails;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Tx;

import java.time.Clock;
import java.util.Optional;

/** Proves an address by a single-use link; resends the link without revealing whether the address is known. */
public final class VerificationService {
    private final UserStore users;
    private final ActionTokens tokens;
    private final Mailer mailer;
    private final Mails mails;
    private final AuditLog audit;
    private final Tx tx;
    private final Clock clock;
    private final AccountSettings settings;

    public VerificationService(UserStore users, ActionTokens tokens, Mailer mailer, Mails mails, AuditLog audit, Tx tx,
                               Clock clock, AccountSettings settings) {
        this.users = users;
        this.tokens = tokens;
        this.mailer = mailer;
        this.mails = mails;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.settings = settings;
    }

    public VerificationOutcome verify(String token, ClientInfo client) {
        Redemption redemption = tx.inTransaction(() -> {
            Redemption r = tokens.redeem(token, Purpose.VERIFY_EMAIL);
            if (r instanceof Redemption.Redeemed(var userId)) {
                users.find(userId).ifPresent(u -> users.update(new User(u.id(), u.email(), u.name(), u.passwordHash(),
                        true, u.disabled(), u.createdAt(), clock.instant())));
            }
            return r;
        });
        return switch (redemption) {
            case Redemption.Redeemed r -> {
                audit.success(AuditType.EMAIL_VERIFIED, Optional.of(r.user()), client);
                yield new VerificationOutcome.Verified();
            }
            case Redemption.Expired e -> {
                audit.failure(AuditType.EMAIL_VERIFICATION_FAILED, "expired_token", Optional.empty(), client);
                yield new VerificationOutcome.Rejected("verification.expired_token", "This verification link has expired. Ask for a new one.");
            }
            case Redemption.Invalid i -> {
                audit.failure(AuditType.EMAIL_VERIFICATION_FAILED, "invalid_token", Optional.empty(), client);
                yield new VerificationOutcome.Rejected("verification.invalid_token", "This verification link is not valid or was already used.");
            }
        };
    }

    /** Sends a fresh link to an unverified account; answers nothing either way. */
    public void resend(Email email, ClientInfo client) {
        Optional<User> user = users.findByEmail(email).filter(u -> !u.emailVerified() && !u.disabled());
        if (user.isEmpty()) {
            audit.unknownAccount(AuditType.VERIFICATION_RESENT, AuditEvent.Outcome.FAILURE, "no_unverified_account", email, client);
            return;
        }
        String token = tokens.issue(user.get().id(), Purpose.VERIFY_EMAIL, settings.verificationTtl());
        audit.success(AuditType.VERIFICATION_RESENT, Optional.of(user.get().id()), client);
        mailer.enqueue(mails.verifyEmail(email, token, settings.verificationTtl()));
    }
}
