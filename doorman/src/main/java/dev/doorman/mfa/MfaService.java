package dev.doorman.mfa;

import dev.doorman.account.RoleStore;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.keys.KeyEncryption;
import dev.doorman.mail.Mailer;
import dev.doorman.session.Session;
import dev.doorman.session.SessionId;
import dev.doorman.session.SessionService;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A user's second factors: TOTP enrollment and removal, recovery codes, and the code check every challenge uses
 * (login, step-up), with the per-account bound on wrong codes. Never sees Javalin.
 */
public final class MfaService {
    /** What the enrollment page shows: the secret in base32, the otpauth URI and the same URI as a QR code (SVG). */
    public record TotpEnrollment(String secret, String uri, String qrSvg) { }

    public record Factors(boolean totp, int recoveryCodes, int passkeys) {
        public boolean any() {
            return totp || passkeys > 0;
        }
    }

    public sealed interface EnrollOutcome {
        /** @param recoveryCodes the new codes, shown once (empty when the user already had codes) */
        record Confirmed(List<String> recoveryCodes) implements EnrollOutcome { }

        record Rejected(String id, String message) implements EnrollOutcome { }
    }

    static final int SECRET_BYTES = 20;
    private static final Duration PENDING_TTL = Duration.ofMinutes(15);

    private final TotpStore totp;
    private final RecoveryCodeStore recoveryCodes;
    private final FailureCounter failures;
    private final LoginChallengeStore challenges;
    private final PasskeyCounter passkeys;
    private final RoleStore roles;
    private final SessionService sessions;
    private final KeyEncryption encryption;
    private final Secrets secrets;
    private final AuditLog audit;
    private final Mailer mailer;
    private final MfaMails mails;
    private final Clock clock;
    private final MfaSettings settings;

    /** How many passkeys a user has (the passkey feature answers). */
    @FunctionalInterface
    public interface PasskeyCounter {
        int count(UserId user);
    }

    public MfaService(TotpStore totp, RecoveryCodeStore recoveryCodes, FailureCounter failures, LoginChallengeStore challenges,
                      PasskeyCounter passkeys, RoleStore roles, SessionService sessions, KeyEncryption encryption, Secrets secrets,
                      AuditLog audit, Mailer mailer, MfaMails mails, Clock clock, MfaSettings settings) {
        this.totp = totp;
        this.recoveryCodes = recoveryCodes;
        this.failures = failures;
        this.challenges = challenges;
        this.passkeys = passkeys;
        this.roles = roles;
        this.sessions = sessions;
        this.encryption = encryption;
        this.secrets = secrets;
        this.audit = audit;
        this.mailer = mailer;
        this.mails = mails;
        this.clock = clock;
        this.settings = settings;
    }

    public Factors factors(UserId user) {
        return new Factors(totp.find(user).isPresent(), recoveryCodes.count(user), passkeys.count(user));
    }

    /** Whether a role the user holds demands a second factor. */
    public boolean requiredByRole(UserId user) {
        return !settings.requiredForRoles().isEmpty() && !Collections.disjoint(roles.rolesOf(user), settings.requiredForRoles());
    }

    /** A login needs a second step: the user has a factor, or must enroll one. */
    public boolean secondStepRequired(UserId user) {
        return factors(user).any() || requiredByRole(user);
    }

    /**
     * Whether the session proved the user recently enough for a sensitive change (SE-09): a second factor within the
     * re-authentication window when the user has one, otherwise a login or re-authentication within it.
     */
    public boolean recentlyAuthenticated(Session session) {
        Instant notBefore = clock.instant().minus(settings.reauthWindow());
        return factors(session.user()).any() ? session.secondFactorSince(notBefore) : !session.authTime().isBefore(notBefore);
    }

    /** Whether the session passed a second factor within {@code within} (step-up). */
    public boolean secondFactorWithin(Session session, Duration within) {
        return session.secondFactorSince(clock.instant().minus(within));
    }

    /** A new TOTP secret, pending until a code from it is entered. Replaces an earlier pending one. */
    public TotpEnrollment startTotp(User user) {
        byte[] secret = secrets.newBytes(SECRET_BYTES);
        totp.savePending(user.id(), encryption.sealSecret(pendingContext(user.id()), secret), clock.instant().plus(PENDING_TTL));
        return enrollment(user, secret);
    }

    /** The pending enrollment again (after a wrong confirmation code), if it has not expired. */
    public Optional<TotpEnrollment> pendingTotp(User user) {
        return totp.findPending(user.id(), clock.instant()).map(sealed -> enrollment(user, encryption.openSecret(pendingContext(user.id()), sealed)));
    }

    /** Confirms the pending secret with a code from it; ten recovery codes come with the first factor. */
    public EnrollOutcome confirmTotp(User user, String code, ClientInfo client) {
        Instant now = clock.instant();
        if (totp.find(user.id()).isPresent())
            return new EnrollOutcome.Rejected("mfa.already_enrolled", "An authenticator app is already set up. Remove it first to set up another.");
        Optional<String> pending = totp.findPending(user.id(), now);
        if (pending.isEmpty())
            return new EnrollOutcome.Rejected("mfa.enrollment_expired", "The set-up has expired. Start again.");
        byte[] secret = encryption.openSecret(pendingContext(user.id()), pending.get());
        OptionalLong step = Totp.match(secret, code == null ? null : code.strip(), now, Long.MIN_VALUE);
        if (step.isEmpty()) {
            audit.failure(AuditType.MFA_ENROLLMENT_FAILED, "wrong_code", Optional.of(user.id()), client);
            return new EnrollOutcome.Rejected("mfa.invalid_code", "That code is not right. Check the time on your phone and enter the current code.");
        }
        // Sealed again under the confirmed context: a pending row's ciphertext does not open as a confirmed one.
        String sealed = encryption.sealSecret(activeContext(user.id()), secret);
        if (!totp.confirm(user.id(), pending.get(), sealed, step.getAsLong(), now))
            return new EnrollOutcome.Rejected("mfa.enrollment_expired", "The set-up has expired. Start again.");
        List<String> codes = recoveryCodes.count(user.id()) == 0 ? newRecoveryCodes(user.id()) : List.of();
        audit.success(AuditType.MFA_ENROLLED, Optional.of(user.id()), client);
        mailer.enqueue(mails.enrolled(user.email(), "An authenticator app"));
        return new EnrollOutcome.Confirmed(codes);
    }

    /** After a first factor was added without codes (a passkey): ten recovery codes, else none. */
    public List<String> recoveryCodesIfNone(UserId user) {
        return recoveryCodes.count(user) == 0 ? newRecoveryCodes(user) : List.of();
    }

    /** Ten new recovery codes; every older one dies. The owner is told by mail. */
    public List<String> regenerateRecoveryCodes(User user, ClientInfo client) {
        List<String> codes = newRecoveryCodes(user.id());
        audit.success(AuditType.RECOVERY_CODES_REGENERATED, Optional.of(user.id()), client);
        mailer.enqueue(mails.recoveryCodesRegenerated(user.email()));
        return codes;
    }

    /**
     * Removes the authenticator app. Without any factor left, the recovery codes go too. Every other session and
     * pending login ends (SE-07), and the owner is told by mail.
     */
    public boolean removeTotp(User user, Optional<SessionId> keep, ClientInfo client) {
        if (!totp.remove(user.id())) return false;
        factorRemoved(user, keep, client, "An authenticator app");
        return true;
    }

    /** After any factor was removed: what is left, sessions, mail, audit. */
    void factorRemoved(User user, Optional<SessionId> keep, ClientInfo client, String what) {
        if (!factors(user.id()).any()) recoveryCodes.removeAll(user.id());
        challenges.removeAll(user.id());
        sessions.revokeAllExcept(user.id(), keep, client);
        audit.success(AuditType.MFA_REMOVED, Optional.of(user.id()), client);
        mailer.enqueue(mails.removed(user.email(), what));
    }

    /**
     * Checks a TOTP or recovery code of the user. A TOTP code is accepted once per time step (MF-01), a recovery
     * code once ever; wrong codes count against the account.
     */
    public CodeCheck check(User user, String typed, ClientInfo client) {
        Instant now = clock.instant();
        Instant since = now.minus(settings.failureWindow());
        if (failures.countSince(user.id(), since) >= settings.maxFailuresPerAccount()) {
            audit.failure(AuditType.MFA_LOCKED, "too_many_failures", Optional.of(user.id()), client);
            return new CodeCheck.Locked();
        }
        boolean passed = false;
        boolean recovery = false;
        switch (SubmittedCode.parse(typed).orElse(null)) {
            case SubmittedCode.TotpCode t -> passed = totp.find(user.id())
                    .map(c -> {
                        byte[] secret = encryption.openSecret(activeContext(user.id()), c.sealedSecret());
                        OptionalLong step = Totp.match(secret, t.digits(), now, c.lastStep());
                        return step.isPresent() && totp.useStep(user.id(), step.getAsLong());
                    })
                    .orElse(false);
            case SubmittedCode.RecoveryCode r -> {
                recovery = true;
                passed = recoveryCodes.consume(user.id(), RecoveryCodes.hash(r.normalized()));
            }
            case null -> { }
        }
        if (!passed) {
            failures.record(user.id(), now, since);
            audit.failure(AuditType.MFA_FAILED, recovery ? "wrong_recovery_code" : "wrong_code", Optional.of(user.id()), client);
            return new CodeCheck.Wrong();
        }
        failures.clear(user.id());
        if (recovery) {
            audit.success(AuditType.RECOVERY_CODE_USED, Optional.of(user.id()), client);
            mailer.enqueue(mails.recoveryCodeUsed(user.email(), recoveryCodes.count(user.id())));
        }
        return new CodeCheck.Passed(List.of("otp"));
    }

    /** Whether the account is locked out of code checks right now. */
    public boolean locked(UserId user) {
        return failures.countSince(user, clock.instant().minus(settings.failureWindow())) >= settings.maxFailuresPerAccount();
    }

    /** Counts a wrong proof that was not a code (a failed passkey or password re-authentication). */
    void recordFailure(UserId user) {
        Instant now = clock.instant();
        failures.record(user, now, now.minus(settings.failureWindow()));
    }

    void clearFailures(UserId user) {
        failures.clear(user);
    }

    public MfaSettings settings() {
        return settings;
    }

    private List<String> newRecoveryCodes(UserId user) {
        List<String> codes = RecoveryCodes.generate(secrets);
        recoveryCodes.replace(user, codes.stream().map(c -> RecoveryCodes.hash(RecoveryCodes.normalize(c).orElseThrow())).toList(), clock.instant());
        return codes;
    }

    private TotpEnrollment enrollment(User user, byte[] secret) {
        String base32 = Base32.encode(secret);
        String label = encode(settings.issuer()) + ":" + encode(user.email().value());
        String uri = "otpauth://totp/" + label + "?secret=" + base32 + "&issuer=" + encode(settings.issuer())
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
        return new TotpEnrollment(base32, uri, QrCode.svg(uri));
    }

    private static String pendingContext(UserId user) {
        return "totp-pending|" + user;
    }

    private static String activeContext(UserId user) {
        return "totp|" + user;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
