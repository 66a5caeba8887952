package dev.doorman.mfa;

import dev.doorman.account.User;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.mail.Mailer;
import dev.doorman.session.SessionId;
import dev.doorman.session.SessionService;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;
import dev.doorman.support.Tx;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The second step of a login (MF-03): the password step hands over a challenge, and only a right second factor turns
 * it into a session. A user whose role demands a second factor but who has none enrolls one here first.
 */
public final class MfaLoginService {
    /** What the challenge page needs. */
    public record ChallengeView(User user, MfaService.Factors factors, Optional<MfaService.TotpEnrollment> enrollment, int failuresLeft) {
        public boolean mustEnroll() {
            return enrollment.isPresent();
        }
    }

    private final LoginChallengeStore challenges;
    private final MfaService mfa;
    private final UserStore users;
    private final SessionService sessions;
    private final Secrets secrets;
    private final AuditLog audit;
    private final Mailer mailer;
    private final MfaMails mails;
    private final Clock clock;
    private final Tx tx;
    private final PasskeyService passkeys;

    public MfaLoginService(LoginChallengeStore challenges, MfaService mfa, PasskeyService passkeys, UserStore users, SessionService sessions,
                           Secrets secrets, AuditLog audit, Mailer mailer, MfaMails mails, Clock clock, Tx tx) {
        this.passkeys = passkeys;
        this.challenges = challenges;
        this.mfa = mfa;
        this.users = users;
        this.sessions = sessions;
        this.secrets = secrets;
        this.audit = audit;
        this.mailer = mailer;
        this.mails = mails;
        this.clock = clock;
        this.tx = tx;
    }

    /**
     * After the right password: a challenge for the second step. Returns its token (for the browser's cookie).
     *
     * @param passwordHash the hash the password was verified against: the login dies if it changes meanwhile
     */
    public String begin(User user, String passwordHash, Optional<SessionId> previous, String returnTo, ClientInfo client) {
        String token = secrets.newToken();
        Instant now = clock.instant();
        challenges.save(Secrets.hash(token), new LoginChallenge(user.id(), Secrets.hash(passwordHash), previous, returnTo, 0, now, now.plus(mfa.settings().challengeTtl())));
        if (!mfa.factors(user.id()).any()) mfa.startTotp(user);   // the role demands one: enrollment is this step
        audit.success(AuditType.MFA_CHALLENGED, Optional.of(user.id()), client);
        return token;
    }

    public Optional<ChallengeView> view(String token) {
        return live(token).flatMap(c -> users.find(c.user()).map(user -> {
            var factors = mfa.factors(user.id());
            Optional<MfaService.TotpEnrollment> enrollment = factors.any() ? Optional.empty() : mfa.pendingTotp(user);
            return new ChallengeView(user, factors, enrollment, mfa.settings().maxFailuresPerChallenge() - c.failures());
        }));
    }

    /** A TOTP or recovery code for the challenge; for a user who must enroll, the first code of the new authenticator. */
    public ChallengeOutcome submitCode(String token, String code, ClientInfo client) {
        Optional<LoginChallenge> found = live(token);
        if (found.isEmpty()) return new ChallengeOutcome.Expired();
        LoginChallenge challenge = found.get();
        Optional<User> user = users.find(challenge.user()).filter(u -> !u.disabled());
        if (user.isEmpty()) return new ChallengeOutcome.Expired();
        if (!mfa.factors(challenge.user()).any()) return enroll(token, challenge, user.get(), code, client);
        return switch (mfa.check(user.get(), code, client)) {
            case CodeCheck.Passed p -> complete(token, challenge, p.methods(), List.of(), client);
            case CodeCheck.Locked l -> new ChallengeOutcome.Locked();
            case CodeCheck.Wrong w -> wrong(token, user.get(), client);
        };
    }

    /** WebAuthn request options for the challenge's user, bound to this challenge; empty when the challenge is gone. */
    public Optional<Map<String, Object>> passkeyOptions(String token) {
        return live(token).map(c -> passkeys.requestOptions(CeremonyStore.Purpose.SECOND_FACTOR, Optional.of(c.user()),
                Optional.of(Secrets.hash(token))));
    }

    /** A passkey assertion as the second factor of this challenge. */
    public ChallengeOutcome submitPasskey(String token, String credentialJson, ClientInfo client) {
        Optional<LoginChallenge> found = live(token);
        if (found.isEmpty()) return new ChallengeOutcome.Expired();
        LoginChallenge challenge = found.get();
        Optional<User> user = users.find(challenge.user()).filter(u -> !u.disabled());
        if (user.isEmpty()) return new ChallengeOutcome.Expired();
        if (mfa.locked(challenge.user())) return new ChallengeOutcome.Locked();
        return switch (passkeys.authenticate(CeremonyStore.Purpose.SECOND_FACTOR, Optional.of(Secrets.hash(token)), credentialJson, client)) {
            case PasskeyOutcome.Verified v when v.user().id().equals(challenge.user()) -> {
                mfa.clearFailures(challenge.user());
                yield complete(token, challenge, List.of(v.passkey().amr()), List.of(), client);
            }
            case PasskeyOutcome.Rejected r -> {
                mfa.recordFailure(challenge.user());
                yield wrong(token, user.get(), client, r.id(), r.message());
            }
            default -> {
                mfa.recordFailure(challenge.user());
                yield wrong(token, user.get(), client, "passkey.not_recognised", "This passkey is not registered here.");
            }
        };
    }

    /**
     * A passwordless login with a discoverable passkey the user allowed for it. The authenticator verified the user
     * (PIN or biometric), so possession and that check are two factors: the session counts as multi-factor.
     */
    public ChallengeOutcome passwordless(String credentialJson, Optional<SessionId> previous, String returnTo, ClientInfo client) {
        if (!(passkeys.authenticate(CeremonyStore.Purpose.PASSWORDLESS, Optional.empty(), credentialJson, client) instanceof PasskeyOutcome.Verified v))
            return new ChallengeOutcome.Wrong("passkey.not_recognised", "That passkey did not work. Try again, or log in with your password.");
        if (!v.userVerified()) return new ChallengeOutcome.Wrong("passkey.user_not_verified", "The passkey did not check your PIN or fingerprint.");
        List<String> amr = List.of(v.passkey().amr(), "mfa");
        var established = tx.inTransaction(() -> {
            previous.ifPresent(p -> sessions.revoke(v.user().id(), p, client));
            return sessions.establish(v.user().id(), amr, true, client);
        });
        audit.success(AuditType.LOGIN_SUCCEEDED, Optional.of(v.user().id()), client);
        return new ChallengeOutcome.Completed(established, returnTo, List.of());
    }

    /**
     * The forced enrollment (a role demands a factor, the user has none): its first code completes the login as a
     * second factor. Unlike enrolling from the account page ({@link MfaEndpoint#totpConfirm}), which never counts for
     * the session doing it, here no session exists yet: the password was just checked in this same challenge, the
     * account has no factor an attacker could have bypassed, and the authenticator is bound right after it, so the
     * new session starts with both.
     */
    private ChallengeOutcome enroll(String token, LoginChallenge challenge, User user, String code, ClientInfo client) {
        if (mfa.locked(user.id())) return new ChallengeOutcome.Locked();
        return switch (mfa.confirmTotp(user, code, client)) {
            case MfaService.EnrollOutcome.Confirmed c -> complete(token, challenge, List.of("otp"), c.recoveryCodes(), client);
            case MfaService.EnrollOutcome.Rejected r -> {
                mfa.recordFailure(user.id());
                yield r.id().equals("mfa.invalid_code") ? wrong(token, user, client) : new ChallengeOutcome.Expired();
            }
        };
    }

    /**
     * Completes the login after a second factor proved {@code methods}: exactly once per challenge, and only if the
     * password is still the one verified and the account is not disabled (the same guarantee the password step has).
     */
    ChallengeOutcome complete(String token, LoginChallenge challenge, List<String> methods, List<String> recoveryCodes, ClientInfo client) {
        if (!challenges.remove(Secrets.hash(token))) return new ChallengeOutcome.Expired();
        List<String> amr = new ArrayList<>(List.of("pwd"));
        methods.stream().filter(m -> !amr.contains(m)).forEach(amr::add);
        amr.add("mfa");
        var established = tx.inTransaction(() -> {
            Optional<User> user = users.find(challenge.user());
            Optional<String> hash = user.flatMap(User::passwordHash);
            if (hash.isEmpty() || !Secrets.hash(hash.get()).equals(challenge.passwordDigest())) return null;
            if (!users.lockIfUnchanged(challenge.user(), hash.get())) return null;
            challenge.previousSession().ifPresent(p -> sessions.revoke(challenge.user(), p, client));
            return sessions.establish(challenge.user(), amr, true, client);
        });
        if (established == null) {
            audit.failure(AuditType.LOGIN_FAILED, "credentials_changed", Optional.of(challenge.user()), client);
            return new ChallengeOutcome.Expired();
        }
        audit.success(AuditType.MFA_SUCCEEDED, Optional.of(challenge.user()), client);
        audit.success(AuditType.LOGIN_SUCCEEDED, Optional.of(challenge.user()), client);
        return new ChallengeOutcome.Completed(established, challenge.returnTo(), recoveryCodes);
    }

    private ChallengeOutcome wrong(String token, User user, ClientInfo client) {
        return wrong(token, user, client, "mfa.invalid_code", null);
    }

    private ChallengeOutcome wrong(String token, User user, ClientInfo client, String id, String message) {
        int failures = challenges.recordFailure(Secrets.hash(token));
        int max = mfa.settings().maxFailuresPerChallenge();
        if (failures == 0 || failures >= max) {
            // The login dies: the next try starts with the password again. The owner hears of it (MF-03).
            if (challenges.remove(Secrets.hash(token))) {
                audit.failure(AuditType.MFA_CHALLENGE_ABANDONED, "too_many_failures", Optional.of(user.id()), client);
                mailer.enqueue(mails.secondFactorFailed(user.email()));
            }
            return new ChallengeOutcome.Expired();
        }
        return new ChallengeOutcome.Wrong(id, (message == null ? "That code is not right." : message) + " " + (max - failures) + " attempts left.");
    }

    /** The challenge behind a token, if it is alive; an expired one is deleted. */
    Optional<LoginChallenge> live(String token) {
        if (!Secrets.looksLikeToken(token)) return Optional.empty();
        Optional<LoginChallenge> found = challenges.find(Secrets.hash(token));
        if (found.isPresent() && !clock.instant().isBefore(found.get().expiresAt())) {
            challenges.remove(Secrets.hash(token));
            return Optional.empty();
        }
        return found;
    }

    /** Ends a challenge the browser abandons (it logs in afresh or cancels). */
    public void cancel(String token) {
        if (Secrets.looksLikeToken(token)) challenges.remove(Secrets.hash(token));
    }
}
