package dev.doorman.guard;

import dev.doorman.account.User;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.support.ClientInfo;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Brute-force and credential-stuffing defence for the password step. Everything is keyed by the identifier as typed
 * (normalized and hashed) and the source, never by whether the account exists, so unknown accounts are treated
 * exactly like known ones (EN-01, EN-02). Decided before any password hash is computed: a refused attempt is cheap.
 *
 * <p>Escalation for one (account, source) pair, as its failures pile up: after {@code delayAfter} each failure is
 * answered slowly (doubling), after {@code challengeAfter} a proof of work is required, and at the capacity of
 * {@link Limit#LOGIN_PAIR} that pair is locked until the bucket refills. A pair lock never touches the same account
 * from elsewhere: the owner is not locked out by an attacker. Signals across pairs: a source failing on many accounts
 * ({@link Limit#LOGIN_SOURCE_ACCOUNTS}), an account failing from many sources ({@link Limit#LOGIN_ACCOUNT_SOURCES}) and
 * a system-wide burst ({@link Limit#LOGIN_FAILURES_GLOBAL}) require a proof of work. An account that reaches NIST's
 * 100 failures ({@link Limit#LOGIN_ACCOUNT}) refuses further guesses from strangers; its owner is mailed an unlock link
 * that exempts their browser, and the reset link always works. A stranger takes its failure from the burst budget as it
 * is let in and gets it back if the password was right: however many arrive at once, no more strangers' passwords are
 * checked than the budget has left.
 *
 * <p>A browser that logged in to the account before carries a device pass ({@link DevicePasses}): the signals that
 * strangers trip (a failure burst, a source failing on many accounts, an account failing from many sources, the
 * account's lockout) do not apply to it, so a flood or a lockout campaign from elsewhere never reaches the owner's own
 * devices (OWASP's device cookies). It keeps a failure count and lockout of its own, keyed by the device.
 */
public final class LoginGuard {
    public static final String FORM = "login";
    private static final String GLOBAL = "all";

    /** What the browser proved for this account before the attempt. */
    public sealed interface Trust {
        Trust STRANGER = new Stranger();

        record Stranger() implements Trust { }

        /** A device pass for the account: this browser got the password right before. */
        record KnownDevice(String device) implements Trust { }

        /** An unlock pass: the owner proved control of the mailbox from this browser. */
        record Unlocked() implements Trust { }
    }

    /** One login attempt as the guard sees it. */
    public record Attempt(String identifier, ClientInfo client, Optional<Solution> solution, Trust trust) {
        public static Attempt stranger(String identifier, ClientInfo client) {
            return new Attempt(identifier, client, Optional.empty(), Trust.STRANGER);
        }

        String account() {
            return RateLimits.account(identifier);
        }

        String source() {
            return RateLimits.source(client.ip());
        }

        /** Whose failures count together: the account from this source, or from this known device wherever it is. */
        String pair() {
            return account() + "@" + (trust instanceof Trust.KnownDevice d ? "device:" + d.device() : source());
        }

        /** Whether the browser proved itself for the account before (its password hashes go first). */
        public boolean known() {
            return !(trust instanceof Trust.Stranger);
        }
    }

    /** A proof-of-work answer sent with the attempt. */
    public record Solution(String challenge, String nonce) { }

    public sealed interface Admission {
        record Admitted() implements Admission { }

        /** Refused before any work; {@code limit} is the wire name of the limit that refused. */
        record Refused(Duration retryAfter, String limit) implements Admission { }

        /** Solve this first; {@code reason} is the signal that asked for it. */
        record ChallengeRequired(ProofOfWork.Challenge challenge, String reason) implements Admission { }
    }

    private final RateLimits limits;
    private final ProofOfWork pow;
    private final AttackNotices notices;
    private final AuditLog audit;
    private final GuardSettings.Escalation escalation;
    private final Sleeper sleeper;

    public LoginGuard(RateLimits limits, ProofOfWork pow, AttackNotices notices, AuditLog audit, GuardSettings.Escalation escalation,
                      Sleeper sleeper) {
        this.limits = limits;
        this.pow = pow;
        this.notices = notices;
        this.audit = audit;
        this.escalation = escalation;
        this.sleeper = sleeper;
    }

    public Admission admit(Attempt a) {
        var perSource = limits.tryConsume(Limit.LOGIN_SOURCE, a.source());
        if (!perSource.allowed()) return refused(a, perSource, Limit.LOGIN_SOURCE);
        long pairFailures = limits.used(Limit.LOGIN_PAIR, a.pair());
        boolean unlocked = a.trust() instanceof Trust.Unlocked;
        if (!unlocked && pairFailures >= limits.spec(Limit.LOGIN_PAIR).capacity())
            return refused(a, limits.peek(Limit.LOGIN_PAIR, a.pair()), Limit.LOGIN_PAIR);
        if (!a.known()) {
            var account = limits.peek(Limit.LOGIN_ACCOUNT, a.account());
            if (!account.allowed()) return refused(a, account, Limit.LOGIN_ACCOUNT);
        }
        Optional<String> reason = switch (a.trust()) {
            case Trust.Unlocked u -> Optional.empty();
            case Trust.KnownDevice d -> pairFailures >= escalation.challengeAfter() ? Optional.of("pair_failures") : Optional.empty();
            case Trust.Stranger s -> challengeReason(a, pairFailures);
        };
        if (reason.isEmpty()) {
            // A stranger takes its failure from the burst budget as it is let in (given back if the password is right):
            // of many let in at once by a peek at the last token, all but one would be checked for free.
            if (a.known() || limits.tryConsume(Limit.LOGIN_FAILURES_GLOBAL, GLOBAL).allowed()) return new Admission.Admitted();
            reason = Optional.of("failure_burst");
        }
        boolean hard = reason.get().equals("source_many_accounts") || reason.get().equals("failure_burst");
        int bits = hard ? escalation.powBitsHard() : escalation.powBits();
        if (a.solution().isPresent()) {
            var failure = pow.verify(a.solution().get().challenge(), a.solution().get().nonce(), FORM, a.source(), bits);
            if (failure.isEmpty()) {
                if (!a.known()) limits.record(Limit.LOGIN_FAILURES_GLOBAL, GLOBAL);
                return new Admission.Admitted();
            }
            record(a, AuditType.LOGIN_CHALLENGE_FAILED, failure.get().name().toLowerCase(Locale.ROOT));
        } else {
            record(a, AuditType.LOGIN_CHALLENGE_REQUIRED, reason.get());
        }
        return new Admission.ChallengeRequired(pow.issue(FORM, a.source(), bits), reason.get());
    }

    private Optional<String> challengeReason(Attempt a, long pairFailures) {
        if (!limits.peek(Limit.LOGIN_SOURCE_ACCOUNTS, a.source()).allowed()) return Optional.of("source_many_accounts");
        if (!limits.peek(Limit.LOGIN_FAILURES_GLOBAL, GLOBAL).allowed()) return Optional.of("failure_burst");
        if (pairFailures >= escalation.challengeAfter()) return Optional.of("pair_failures");
        if (!limits.peek(Limit.LOGIN_ACCOUNT_SOURCES, a.account()).allowed()) return Optional.of("account_many_sources");
        return Optional.empty();
    }

    /**
     * Counts a failed attempt (wrong password, unknown account alike) and answers it slowly once the pair has failed
     * often. {@code owner} is the account if it exists: only it is ever mailed.
     */
    public void failed(Attempt a, Optional<User> owner) {
        long pair = limits.record(Limit.LOGIN_PAIR, a.pair());
        // A stranger's failure was taken from the burst budget when it was let in.
        if (a.known()) limits.record(Limit.LOGIN_FAILURES_GLOBAL, GLOBAL);
        // A known device's failures stay its own: they count towards neither the account's lockout nor the stranger signals.
        boolean ownFailure = a.trust() instanceof Trust.KnownDevice;
        long account = ownFailure ? 0 : limits.record(Limit.LOGIN_ACCOUNT, a.account());
        long sources = 0;
        if (pair == 1 && !ownFailure) {
            // The pair's first failure in its window: one more distinct account for this source, one more source for this account.
            limits.record(Limit.LOGIN_SOURCE_ACCOUNTS, a.source());
            sources = limits.record(Limit.LOGIN_ACCOUNT_SOURCES, a.account());
        }
        if (pair == limits.spec(Limit.LOGIN_PAIR).capacity()) lockedOut(a, owner, Limit.LOGIN_PAIR);
        if (account == limits.spec(Limit.LOGIN_ACCOUNT).capacity()) lockedOut(a, owner, Limit.LOGIN_ACCOUNT);
        if (sources == limits.spec(Limit.LOGIN_ACCOUNT_SOURCES).capacity())
            owner.ifPresent(o -> notices.notify(o, Limit.LOGIN_ACCOUNT_SOURCES.wireName(), a.client()));
        if (pair >= escalation.delayAfter()) {
            Duration delay = delay(pair);
            record(a, AuditType.LOGIN_DELAYED, "delay_" + delay.toMillis() + "ms");
            sleeper.sleep(delay);
        }
    }

    /** A success ends the pair's and the account's failure count (RL-01), and a stranger's failure taken in advance is given back. */
    public void succeeded(Attempt a) {
        limits.reset(Limit.LOGIN_PAIR, a.pair());
        limits.reset(Limit.LOGIN_ACCOUNT, a.account());
        if (!a.known()) limits.giveBack(Limit.LOGIN_FAILURES_GLOBAL, GLOBAL);
    }

    /** The owner proved control of the mailbox: their account's failure count starts over, and this source's pair too. */
    public void unlocked(String identifier, ClientInfo from) {
        var a = new Attempt(identifier, from, Optional.empty(), new Trust.Unlocked());
        limits.reset(Limit.LOGIN_ACCOUNT, a.account());
        limits.reset(Limit.LOGIN_PAIR, a.pair());
    }

    Duration delay(long pairFailures) {
        long steps = Math.min(30, pairFailures - escalation.delayAfter());
        long millis = escalation.delayBase().toMillis() << steps;
        return millis >= escalation.delayMax().toMillis() || millis < 0 ? escalation.delayMax() : Duration.ofMillis(millis);
    }

    private void lockedOut(Attempt a, Optional<User> owner, Limit limit) {
        record(a, AuditType.LOGIN_LOCKED_OUT, limit.wireName());
        owner.ifPresent(o -> notices.notify(o, limit.wireName(), a.client()));
    }

    private Admission refused(Attempt a, RateLimits.Decision d, Limit limit) {
        record(a, AuditType.RATE_LIMITED, limit.wireName());
        return new Admission.Refused(d.retryAfter(), limit.wireName());
    }

    private void record(Attempt a, AuditType type, String reason) {
        audit.unknownIdentifier(type, AuditEvent.Outcome.FAILURE, reason, a.identifier(), a.client());
    }
}
