package dev.doorman.guard;

import dev.doorman.account.ActionTokenStore;
import dev.doorman.account.ActionTokens;
import dev.doorman.account.User;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.mail.Mailer;
import dev.doorman.mail.Mails;
import dev.doorman.support.ClientInfo;

import java.time.Duration;
import java.util.Optional;

/** Tells an account's owner, at most once per {@link Limit#ATTACK_MAIL_ACCOUNT} period, that it is under attack, with an unlock link. */
public final class AttackNotices {
    private final RateLimits limits;
    private final ActionTokens tokens;
    private final Mailer mailer;
    private final Mails mails;
    private final AuditLog audit;
    private final Duration unlockTtl;

    public AttackNotices(RateLimits limits, ActionTokens tokens, Mailer mailer, Mails mails, AuditLog audit, Duration unlockTtl) {
        this.limits = limits;
        this.tokens = tokens;
        this.mailer = mailer;
        this.mails = mails;
        this.audit = audit;
        this.unlockTtl = unlockTtl;
    }

    /** @param why a stable reason for the audit record, e.g. {@code login.pair} */
    void notify(User owner, String why, ClientInfo from) {
        if (!limits.tryConsume(Limit.ATTACK_MAIL_ACCOUNT, RateLimits.account(owner.email().value())).allowed()) return;
        String token = tokens.issue(owner.id(), ActionTokenStore.Purpose.UNLOCK_LOGIN, unlockTtl);
        mailer.enqueue(mails.loginUnderAttack(owner.email(), token, unlockTtl));
        audit.failure(AuditType.ATTACK_NOTICE_SENT, why, Optional.of(owner.id()), from);
    }
}
