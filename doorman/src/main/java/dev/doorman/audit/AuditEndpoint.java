package dev.doorman.audit;

import dev.doorman.account.Email;
import dev.doorman.account.UserId;
import dev.doorman.web.AdminAccess;
import dev.doorman.web.Json;
import dev.doorman.web.ProblemException;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The admin JSON API over the audit trail (admin role required). {@code GET /api/v1/admin/audit} filters by
 * {@code account} (an e-mail address or user id), {@code type}, {@code ip}, {@code since} and {@code until} (ISO-8601
 * instants; since inclusive, until exclusive), newest first, {@code limit} per page (1–1000, 50 by default); the answer's
 * {@code next} is the link to the following page ({@code before} = the last record's position). {@code GET
 * /api/v1/admin/audit/verify} checks the hash chain.
 */
public final class AuditEndpoint {
    private static final Set<String> PARAMETERS = Set.of("account", "type", "ip", "since", "until", "limit", "before");
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

    public record Item(long seq, String id, String at, String type, String outcome, String reason, String user, String subjectHint,
                       String ip, String userAgent, String prevHash, String hash) {
        static Item of(AuditRecord r) {
            return new Item(r.seq(), r.id(), r.at().toString(), r.type(), r.outcome(), r.reason().orElse(null),
                    r.user().map(UserId::toString).orElse(null), r.subjectHint().orElse(null), r.ip(), r.userAgent(), r.prevHash(), r.hash());
        }
    }

    public record Page(List<Item> items, String next) { }

    public record Verification(boolean intact, long checked, long firstSeq, long lastSeq, List<AuditVerification.Problem> problems) { }

    private final AuditService audit;
    private final AdminAccess admins;
    private final Function<Email, Optional<UserId>> accounts;

    /** @param accounts finds the account of an e-mail address, for the {@code account} filter */
    public AuditEndpoint(AuditService audit, AdminAccess admins, Function<Email, Optional<UserId>> accounts) {
        this.audit = audit;
        this.admins = admins;
        this.accounts = accounts;
    }

    /** GET /api/v1/admin/audit */
    public void list(Context ctx) {
        admins.require(ctx);
        Map<String, List<String>> params = ctx.queryParamMap();
        for (var entry : params.entrySet()) {
            if (!PARAMETERS.contains(entry.getKey()))
                throw invalid("unknown parameter '" + printable(entry.getKey()) + "' (known: account, type, ip, since, until, limit, before)");
            if (entry.getValue().size() > 1) throw invalid("parameter '" + entry.getKey() + "' is repeated");
        }
        Optional<UserId> account = param(ctx, "account").flatMap(this::account);
        if (param(ctx, "account").isPresent() && account.isEmpty()) {
            Json.write(ctx, 200, new Page(List.of(), null));
            return;
        }
        var query = new AuditQuery(account,
                param(ctx, "type").map(t -> require(t, TYPE.matcher(t).matches(), "type must be an event type such as login_failed")),
                param(ctx, "ip").map(ip -> require(ip, ip.length() <= 64, "ip is too long")),
                param(ctx, "since").map(s -> instant("since", s)),
                param(ctx, "until").map(s -> instant("until", s)),
                param(ctx, "before").map(b -> number("before", b, 1, Long.MAX_VALUE)),
                param(ctx, "limit").map(l -> (int) number("limit", l, 1, AuditQuery.MAX_LIMIT)).orElse(AuditQuery.DEFAULT_LIMIT));
        List<AuditRecord> records = audit.find(query);
        String next = records.size() < query.limit() ? null : nextLink(ctx, records.getLast().seq());
        Json.write(ctx, 200, new Page(records.stream().map(Item::of).toList(), next));
    }

    /** GET /api/v1/admin/audit/verify */
    public void verify(Context ctx) {
        admins.require(ctx);
        AuditVerification v = audit.verify();
        Json.write(ctx, 200, new Verification(v.intact(), v.checked(), v.firstSeq(), v.lastSeq(), v.problems()));
    }

    private Optional<UserId> account(String value) {
        Optional<UserId> id = UserId.tryParse(value);
        if (id.isPresent()) return id;
        Email email = Email.parse(value).orElseThrow(() -> invalid("account must be an e-mail address or a user id"));
        return accounts.apply(email);
    }

    private static String nextLink(Context ctx, long lastSeq) {
        var link = new StringBuilder(AuditPaths.API_LIST).append("?");
        for (String name : List.of("account", "type", "ip", "since", "until", "limit")) {
            String value = ctx.queryParam(name);
            if (value != null) link.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
        }
        return link.append("before=").append(lastSeq).toString();
    }

    private static Optional<String> param(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(String::strip);
    }

    private static String require(String value, boolean ok, String message) {
        if (!ok) throw invalid(message);
        return value;
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be an ISO-8601 instant such as 2026-11-28T10:00:00Z");
        }
    }

    private static long number(String name, String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw invalid(name + " must be a whole number from " + min + " to " + max);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "audit.invalid_query", detail);
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
