package dev.doorman.audit;

import dev.doorman.account.UserId;
import dev.doorman.support.ClientInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What operators and users do with the trail: query it, verify the chain, apply retention, and show a user their own activity. */
public final class AuditService {
    /** What the account page lists, and how it names each. */
    private static final Set<String> USER_FACING = Set.of(AuditType.LOGIN_SUCCEEDED.wireName(), AuditType.LOGIN_FAILED.wireName(),
            AuditType.PASSWORD_CHANGED.wireName(), AuditType.PASSWORD_RESET_REQUESTED.wireName(),
            AuditType.PASSWORD_RESET_COMPLETED.wireName(), AuditType.SESSION_REVOKED.wireName(), AuditType.EMAIL_VERIFIED.wireName(),
            AuditType.PASSWORD_BREACH_DETECTED.wireName(), AuditType.CONSENT_WITHDRAWN.wireName(), AuditType.USER_DISABLED.wireName());
    private static final Logger LOG = LoggerFactory.getLogger(AuditService.class);
    private static final ClientInfo RETENTION = new ClientInfo("", "doorman audit retention");
    /** How far back the account page looks to tell a new device or address from a known one. */
    private static final int HISTORY = 500;

    /**
     * One line of a user's security activity.
     *
     * @param newDevice a successful login from a user agent none of the earlier logins used
     * @param newIp     a successful login from an address none of the earlier logins came from
     */
    public record Activity(AuditRecord record, String description, boolean newDevice, boolean newIp) { }

    private final AuditTrail trail;
    private final AuditLog audit;
    private final Clock clock;

    public AuditService(AuditTrail trail, AuditLog audit, Clock clock) {
        this.trail = trail;
        this.audit = audit;
        this.clock = clock;
    }

    public List<AuditRecord> find(AuditQuery query) {
        return trail.find(query);
    }

    public List<AuditRecord> after(long seq, int limit) {
        return trail.after(seq, limit);
    }

    public AuditTrail.Head head() {
        return trail.head();
    }

    public AuditVerification verify() {
        return new AuditVerifier(trail).verify();
    }

    /**
     * Deletes records older than {@code retention} and records that it did (an {@code audit_pruned} event whose reason
     * names the first position kept), so the anchor is itself in the chain and in the shipped log.
     */
    public AuditTrail.Pruned prune(Duration retention, ClientInfo actor) {
        var pruned = trail.prune(clock.instant().minus(retention), clock.instant());
        if (pruned.deleted() > 0)
            audit.record(new AuditEvent(clock.instant(), AuditType.AUDIT_PRUNED, AuditEvent.Outcome.SUCCESS,
                    Optional.of("kept_from_" + pruned.firstKept()), Optional.empty(), Optional.empty(), actor));
        return pruned;
    }

    /** Applies the configured retention as Doorman itself (what the retention schedule runs), saying what it deleted. */
    public AuditTrail.Pruned applyRetention(Duration retention) {
        var pruned = prune(retention, RETENTION);
        if (pruned.deleted() > 0)
            LOG.info("audit retention deleted {} records older than {}; the chain now starts at record {}",
                    pruned.deleted(), retention, pruned.firstKept());
        return pruned;
    }

    /** The user's recent security activity, newest first, with new devices and addresses marked. */
    public List<Activity> activity(UserId user, int limit) {
        List<AuditRecord> history = trail.find(new AuditQuery(Optional.of(user), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), HISTORY));
        // Walk oldest first to know, at each login, what came before it.
        var seenAgents = new HashSet<String>();
        var seenIps = new HashSet<String>();
        var out = new ArrayList<Activity>();
        for (AuditRecord r : history.reversed()) {
            if (!USER_FACING.contains(r.type()) && !isLock(r.type())) continue;
            boolean login = r.type().equals(AuditType.LOGIN_SUCCEEDED.wireName());
            boolean known = !seenAgents.isEmpty();
            boolean newDevice = login && known && !seenAgents.contains(r.userAgent());
            boolean newIp = login && known && !seenIps.contains(r.ip());
            if (login) {
                seenAgents.add(r.userAgent());
                seenIps.add(r.ip());
            }
            out.add(new Activity(r, describe(r), newDevice, newIp));
        }
        List<Activity> newestFirst = out.reversed();
        return newestFirst.subList(0, Math.min(limit, newestFirst.size()));
    }

    private static final java.time.format.DateTimeFormatter SHOWN =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);

    /** The account page's rows. */
    public List<dev.doorman.web.Pages.ActivityRow> activityRows(UserId user, int limit) {
        return activity(user, limit).stream().map(a -> new dev.doorman.web.Pages.ActivityRow(SHOWN.format(a.record().at()), a.description(),
                a.record().ip().isEmpty() ? "—" : a.record().ip(),
                a.record().userAgent().isEmpty() ? "Unknown device" : a.record().userAgent(),
                a.newDevice(), a.newIp(), !a.record().outcome().equals("success"))).toList();
    }

    private static boolean isLock(String type) {
        return type.contains("lock");
    }

    static String describe(AuditRecord r) {
        boolean ok = r.outcome().equals("success");
        return switch (r.type()) {
            case "login_succeeded" -> "Logged in";
            case "login_failed" -> switch (r.reason().orElse("")) {
                case "wrong_password" -> "Failed login: wrong password";
                case "account_disabled" -> "Failed login: account disabled";
                case "email_not_verified" -> "Failed login: e-mail address not verified";
                default -> "Failed login";
            };
            case "password_changed" -> "Password changed";
            case "password_reset_requested" -> "Password reset requested";
            case "password_reset_completed" -> "Password reset";
            case "session_revoked" -> "Session logged out";
            case "email_verified" -> "E-mail address verified";
            case "password_breach_detected" -> "Password found in a breach: change required";
            case "consent_withdrawn" -> "Application access revoked";
            case "user_disabled" -> "Account disabled";
            default -> (ok ? "" : "Refused: ") + r.type().replace('_', ' ');
        };
    }
}
