package dev.doorman.mfa;

import dev.doorman.account.Password;
import dev.doorman.account.PasswordHasher;
import dev.doorman.account.User;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.session.Session;
import dev.doorman.session.SessionService;
import dev.doorman.support.ClientInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Proving oneself again inside a session: a second factor for a user who has one (step-up, SE-09), the password for
 * one who has none. The session keeps its id and gets a new secret.
 */
public final class StepUpService {
    private final MfaService mfa;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final AuditLog audit;
    private final PasskeyService passkeys;

    public StepUpService(MfaService mfa, PasskeyService passkeys, UserStore users, PasswordHasher hasher, SessionService sessions, AuditLog audit) {
        this.passkeys = passkeys;
        this.mfa = mfa;
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
        this.audit = audit;
    }

    /** Whether this user re-authenticates with a second factor (else with the password). */
    public boolean usesSecondFactor(Session session) {
        return mfa.factors(session.user()).any();
    }

    /** A TOTP or recovery code from a user with a second factor. */
    public StepUpOutcome withCode(Session session, String code, ClientInfo client) {
        Optional<User> user = users.find(session.user()).filter(u -> !u.disabled());
        if (user.isEmpty()) return new StepUpOutcome.Gone();
        if (!mfa.factors(session.user()).any()) return wrong(session, client, "no_factor");
        return switch (mfa.check(user.get(), code, client)) {
            case CodeCheck.Passed p -> elevated(session, p.methods(), true, client);
            case CodeCheck.Locked l -> new StepUpOutcome.Locked();
            case CodeCheck.Wrong w -> wrong(session, client, "wrong_code");
        };
    }

    /** WebAuthn request options for re-authenticating this session with one of the user's passkeys. */
    public Map<String, Object> passkeyOptions(Session session) {
        return passkeys.requestOptions(CeremonyStore.Purpose.STEP_UP, Optional.of(session.user()), Optional.of(session.id().toString()));
    }

    /** A passkey assertion answering this session's step-up challenge. */
    public StepUpOutcome withPasskey(Session session, String credentialJson, ClientInfo client) {
        if (mfa.locked(session.user())) return new StepUpOutcome.Locked();
        var outcome = passkeys.authenticate(CeremonyStore.Purpose.STEP_UP, Optional.of(session.id().toString()), credentialJson, client);
        if (outcome instanceof PasskeyOutcome.Verified v && v.user().id().equals(session.user())) {
            mfa.clearFailures(session.user());
            return elevated(session, List.of(v.passkey().amr()), true, client);
        }
        mfa.recordFailure(session.user());
        String reason = outcome instanceof PasskeyOutcome.Rejected r ? r.id() : "passkey.not_recognised";
        audit.failure(AuditType.MFA_STEP_UP_FAILED, reason.substring(reason.indexOf('.') + 1), Optional.of(session.user()), client);
        return new StepUpOutcome.Wrong(reason, outcome instanceof PasskeyOutcome.Rejected r ? r.message() : "This passkey is not registered here.");
    }

    /** The password, from a user without a second factor (one with a factor must use it). */
    public StepUpOutcome withPassword(Session session, Password password, ClientInfo client) {
        Optional<User> user = users.find(session.user()).filter(u -> !u.disabled());
        if (user.isEmpty()) return new StepUpOutcome.Gone();
        if (mfa.locked(session.user())) return new StepUpOutcome.Locked();
        boolean ok = user.get().passwordHash().map(h -> hasher.verify(password, h, PasswordHasher.Priority.FIRST)).orElseGet(() -> {
            hasher.dummyVerify(password, PasswordHasher.Priority.FIRST);
            return false;
        });
        if (!ok || mfa.factors(session.user()).any()) {
            mfa.recordFailure(session.user());
            return wrong(session, client, ok ? "second_factor_required" : "wrong_password");
        }
        return elevated(session, List.of("pwd"), false, client);
    }

    /**
     * Records a proof just checked here on the session. Only a proof of a factor the account already had counts:
     * enrolling a new one is never routed here (a session could otherwise vouch for itself with its own authenticator).
     */
    private StepUpOutcome elevated(Session session, List<String> methods, boolean secondFactor, ClientInfo client) {
        List<String> amr = new ArrayList<>(secondFactor ? List.of("pwd") : List.of());
        methods.stream().filter(m -> !amr.contains(m)).forEach(amr::add);
        if (secondFactor && !amr.contains("mfa")) amr.add("mfa");
        Optional<SessionService.Established> established = sessions.reauthenticate(session, amr, secondFactor);
        if (established.isEmpty()) return new StepUpOutcome.Gone();
        audit.success(AuditType.MFA_STEP_UP, Optional.of(session.user()), client);
        return new StepUpOutcome.Elevated(established.get());
    }

    private StepUpOutcome wrong(Session session, ClientInfo client, String reason) {
        audit.failure(AuditType.MFA_STEP_UP_FAILED, reason, Optional.of(session.user()), client);
        return new StepUpOutcome.Wrong("mfa.invalid_code", reason.equals("wrong_password") ? "The password is not right."
                : "That code is not right. Each code works once: if you have just used it, wait for the next one.");
    }
}
