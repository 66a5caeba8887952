package dev.doorman.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doorman.Doorman;
import dev.doorman.account.Email;
import dev.doorman.account.UserId;
import dev.doorman.audit.AuditEndpoint;
import dev.doorman.audit.AuditQuery;
import dev.doorman.audit.AuditRecord;
import dev.doorman.audit.AuditVerification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code doorman audit list|tail|verify|prune}: the operator's view of the hash-chained audit trail. */
@Command(name = "audit", description = "Query, follow, verify and prune the audit trail.")
final class AuditCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    private final CliContext cli;

    AuditCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(cli.err());
        return Main.EXIT_USAGE;
    }

    /** How records print: an aligned table, or one JSON object per line. */
    static final class Output {
        @Option(names = "--json", description = "One JSON object per record and line instead of a table.")
        boolean json;
    }

    @Command(name = "list", description = {"List audit records, newest first.",
            "Times are ISO-8601 instants (2026-11-28T10:00:00Z) or a duration back from now (15m, 24h, 7d)."})
    static final class ListRecords implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();
        @Mixin
        Output output = new Output();
        @Option(names = "--account", paramLabel = "EMAIL|ID", description = "Only this account (e-mail address or user id).")
        String account;
        @Option(names = "--type", paramLabel = "TYPE", description = "Only this event type, e.g. login_failed.")
        String type;
        @Option(names = "--ip", paramLabel = "IP", description = "Only requests from this address.")
        String ip;
        @Option(names = "--since", paramLabel = "TIME", description = "From this time (inclusive).")
        String since;
        @Option(names = "--until", paramLabel = "TIME", description = "Up to this time (exclusive).")
        String until;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N records (1-1000; default 50).")
        int limit;

        private final CliContext cli;

        ListRecords(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ServerConfig cfg = config.load(cli);
            if (limit < 1 || limit > AuditQuery.MAX_LIMIT) throw CommandFailure.refused("--limit must be between 1 and " + AuditQuery.MAX_LIMIT);
            Optional<Instant> from = time("--since", since, cli.clock());
            Optional<Instant> to = time("--until", until, cli.clock());
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                Doorman doorman = instance.doorman();
                Optional<UserId> user = Optional.empty();
                if (account != null) {
                    user = accountId(doorman, account);
                    if (user.isEmpty()) {
                        cli.err().println("no account " + account + "; nothing to list");
                        return Main.EXIT_OK;
                    }
                }
                var query = new AuditQuery(user, Optional.ofNullable(type), Optional.ofNullable(ip), from, to, Optional.empty(), limit);
                print(cli, doorman, doorman.audit().find(query), output.json);
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "tail", description = {"Print the newest records, then follow new ones as they are written (any node) until stopped.",
            "Ctrl-C or SIGTERM stops it."})
    static final class Tail implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();
        @Mixin
        Output output = new Output();
        @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10", description = "Start with the newest N records (default 10).")
        int lines;
        @Option(names = "--no-follow", description = "Print the newest records and stop.")
        boolean noFollow;
        @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "1s", description = "How often to look for new records (default 1s).")
        String poll;

        private final CliContext cli;

        Tail(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws InterruptedException {
            ServerConfig cfg = config.load(cli);
            if (lines < 0 || lines > AuditQuery.MAX_LIMIT) throw CommandFailure.refused("--lines must be between 0 and " + AuditQuery.MAX_LIMIT);
            Duration interval = ConfigReader.parseDuration(poll).filter(d -> !d.isNegative() && !d.isZero())
                    .orElseThrow(() -> CommandFailure.refused("--poll must be a duration such as 1s or 500ms"));
            var stop = new CountDownLatch(1);
            cli.shutdownHooks().onShutdown(stop::countDown);
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                Doorman doorman = instance.doorman();
                var audit = doorman.audit();
                long last = audit.head().lastSeq();
                if (lines > 0) {
                    List<AuditRecord> newest = new ArrayList<>(audit.find(AuditQuery.all(lines)));
                    print(cli, doorman, newest.reversed(), output.json);
                    if (!newest.isEmpty()) last = Math.max(last, newest.getFirst().seq());
                }
                while (!noFollow && !stop.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                    List<AuditRecord> fresh = audit.after(last, AuditQuery.MAX_LIMIT);
                    if (fresh.isEmpty()) continue;
                    print(cli, doorman, fresh, output.json);
                    last = fresh.getLast().seq();
                }
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "verify", description = {"Check the hash chain: every record's hash, every link to the record before, no gaps, "
            + "and that the newest record is the one the chain head names.",
            "Exit code 0 when intact; 1 naming each altered, missing, out-of-place record or missing newest records."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();

        private final CliContext cli;

        Verify(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ServerConfig cfg = config.load(cli);
            AuditVerification result;
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                result = instance.doorman().audit().verify();
            }
            String range = result.checked() == 0 ? "" : " (records " + result.firstSeq() + " to " + result.lastSeq() + ")";
            if (result.intact()) {
                cli.out().println("audit trail intact: " + Main.plural((int) Math.min(Integer.MAX_VALUE, result.checked()), "record")
                        + " checked" + range);
                return Main.EXIT_OK;
            }
            for (AuditVerification.Problem p : result.problems())
                cli.out().println(p.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": " + p.detail());
            throw CommandFailure.failed("audit trail verification failed: " + Main.plural(result.problems().size(), "problem")
                    + " in " + Main.plural((int) Math.min(Integer.MAX_VALUE, result.checked()), "record") + range);
        }
    }

    @Command(name = "prune", description = {"Delete records older than the retention now (the server also does this hourly when "
            + "audit.retention is set).",
            "The chain stays verifiable: it is anchored at the first record kept, and an audit_pruned record says so."})
    static final class Prune implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();
        @Option(names = "--older-than", paramLabel = "DURATION",
                description = "Delete records older than this (at least 7d); default: the configured audit.retention.")
        String olderThan;

        private final CliContext cli;

        Prune(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ServerConfig cfg = config.load(cli);
            Duration retention = olderThan != null
                    ? ConfigReader.parseDuration(olderThan).orElseThrow(() -> CommandFailure.refused("--older-than must be a duration such as 400d"))
                    : cfg.doorman().observability().auditRetention()
                    .orElseThrow(() -> CommandFailure.refused("no retention: give --older-than or set audit.retention (DOORMAN_AUDIT_RETENTION)"));
            if (retention.compareTo(dev.doorman.metrics.ObservabilitySettings.MIN_AUDIT_RETENTION) < 0)
                throw CommandFailure.refused("--older-than must be at least 7d");
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                var pruned = instance.doorman().audit().prune(retention, CliContext.actor("audit prune"));
                cli.out().println(pruned.deleted() == 0 ? "nothing older than " + olderThanText(retention) + " to delete"
                        : "deleted " + Main.plural(pruned.deleted(), "record") + " older than " + olderThanText(retention)
                        + "; the trail now starts at record " + pruned.firstKept());
            }
            return Main.EXIT_OK;
        }

        private static String olderThanText(Duration d) {
            return d.toDays() > 0 && d.toHours() % 24 == 0 ? d.toDays() + "d" : d.toString();
        }
    }

    private static Optional<UserId> accountId(Doorman doorman, String account) {
        Optional<UserId> id = UserId.tryParse(account);
        if (id.isPresent()) return id;
        Email email = Email.parse(account).orElseThrow(() -> CommandFailure.refused("--account must be an e-mail address or a user id"));
        return doorman.users().findByEmail(email).map(u -> u.id());
    }

    private static Optional<Instant> time(String option, String value, Clock clock) {
        if (value == null) return Optional.empty();
        Optional<Duration> ago = ConfigReader.parseDuration(value);
        if (ago.isPresent()) return Optional.of(clock.instant().minus(ago.get()));
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw CommandFailure.refused(option + " must be an ISO-8601 instant (2026-11-28T10:00:00Z) or a duration back from now (24h)");
        }
    }

    private static void print(CliContext cli, Doorman doorman, List<AuditRecord> records, boolean json) {
        Map<UserId, String> emails = new HashMap<>();
        if (json) {
            for (AuditRecord r : records) {
                try {
                    cli.out().println(JSON.writeValueAsString(new AuditEndpoint.Item(r.seq(), r.id(), r.at().toString(), r.type(), r.outcome(),
                            r.reason().orElse(null), r.user().map(UserId::toString).orElse(null), r.subjectHint().orElse(null), r.ip(),
                            r.userAgent(), r.prevHash(), r.hash())));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            return;
        }
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("SEQ", "AT", "TYPE", "OUTCOME", "REASON", "ACCOUNT", "IP", "USER AGENT"));
        for (AuditRecord r : records) {
            String who = r.user().map(u -> emails.computeIfAbsent(u, id -> doorman.users().find(id).map(x -> x.email().value()).orElse(id.toString())))
                    .orElseGet(() -> r.subjectHint().map(h -> "#" + h).orElse("-"));
            rows.add(List.of(Long.toString(r.seq()), DateTimeFormatter.ISO_INSTANT.format(r.at().truncatedTo(ChronoUnit.SECONDS)), r.type(),
                    r.outcome(), r.reason().orElse("-"), printable(who), printable(r.ip().isEmpty() ? "-" : r.ip()),
                    printable(r.userAgent().isEmpty() ? "-" : shorten(r.userAgent()))));
        }
        if (rows.size() > 1) Table.print(cli.out(), rows);
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 59) + "…" : s;
    }

    /** A user agent is attacker-chosen: no control character reaches the operator's terminal. */
    private static String printable(String s) {
        var out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || Character.getType(c) == Character.FORMAT)
                out.append(String.format("\\u%04x", c));
            else out.appendCodePoint(c);
        });
        return out.toString();
    }
}
