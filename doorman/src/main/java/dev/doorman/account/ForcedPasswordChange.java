package dev.doorman.account;

import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.login.LoginService;
import dev.doorman.support.ClientInfo;

import java.time.Clock;
import java.util.Optional;

/**
 * The breached-password check at login. The login still succeeds (the password was right; refusing it would lock
 * the owner out and tell an attacker the guess was good), but the account is flagged: the session can then only
 * reach the account page, change the password and log out ({@link PasswordChangeGate}) until the password changes.
 */
public final class ForcedPasswordChange implements LoginService.PasswordAccepted {
    static final String BREACHED = "breached_password";

    private final PasswordChangeRequirements requirements;
    private final PasswordPolicy policy;
    private final AuditLog audit;
    private final Clock clock;

    public ForcedPasswordChange(PasswordChangeRequirements requirements, PasswordPolicy policy, AuditLog audit, Clock clock) {
        this.requirements = requirements;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void accepted(UserId user, Password password, ClientInfo client) {
        if (!policy.checksAtLogin() || !policy.isBreached(password)) return;
        requirements.require(user, BREACHED, clock.instant());
        audit.failure(AuditType.PASSWORD_BREACH_DETECTED, BREACHED, Optional.of(user), client);
    }

    public boolean isRequired(UserId user) {
        return requirements.isRequired(user);
    }
}
