package dev.doorman.server;

import dev.doorman.account.UserId;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.audit.JdbiAuditStore;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.support.ClientInfo;
import dev.doorman.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code doorman audit list|tail|verify|prune}, in-process against a data directory whose trail a test writes and tampers with. */
class AuditCommandTest {
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;

    private Cli cli;
    private UserId alice;

    @BeforeEach
    void trailWithEvents() {
        cli = new Cli(dir.resolve("data"));
        var created = cli.runWithInput(PASSWORD, "user", "create", "--email", "alice@example.org", "--verified", "--password-stdin");
        assertThat(created.exitCode()).as(created.err()).isZero();
        var clock = MutableClock.at(Instant.parse("2026-11-28T10:00:00Z"));
        withDatabase(db -> {
            alice = db.jdbi().withHandle(h -> h.createQuery("select id from users where email = 'alice@example.org'").mapTo(String.class).map(UserId::parse).one());
            var log = new AuditLog(new JdbiAuditStore(db.jdbi()), clock);
            log.success(AuditType.LOGIN_SUCCEEDED, Optional.of(alice), new ClientInfo("192.0.2.10", "Firefox"));
            clock.advance(Duration.ofMinutes(5));
            log.failure(AuditType.LOGIN_FAILED, "wrong_password", Optional.of(alice), new ClientInfo("198.51.100.7", "curl/8\r\nforged"));
            clock.advance(Duration.ofMinutes(5));
            log.unknownIdentifier(AuditType.LOGIN_FAILED, dev.doorman.audit.AuditEvent.Outcome.FAILURE, "unknown_account", "bob@example.org",
                    new ClientInfo("198.51.100.7", "curl/8"));
        });
    }

    private void withDatabase(java.util.function.Consumer<Database> work) {
        try (var db = Database.open(DbSettings.embedded(dir.resolve("data")))) {
            work.accept(db);
        }
    }

    private void sql(String statement) {
        withDatabase(db -> db.jdbi().useHandle(h -> h.execute(statement)));
    }

    @Test
    void auditListWhenFilteredByAccountThenOnlyThatAccountsRecordsNewestFirstWithItsEmail() {
        var list = cli.run("audit", "list", "--account", "alice@example.org");

        assertThat(list.exitCode()).as(list.err()).isZero();
        var lines = list.out().lines().toList();
        assertThat(lines.getFirst()).matches("SEQ +AT +TYPE +OUTCOME +REASON +ACCOUNT +IP +USER AGENT");
        assertThat(lines.subList(1, lines.size())).satisfiesExactly(
                l -> assertThat(l).contains("login_failed", "wrong_password", "alice@example.org", "198.51.100.7"),
                l -> assertThat(l).contains("login_succeeded", "alice@example.org", "192.0.2.10", "Firefox"),
                l -> assertThat(l).contains("user_created", "alice@example.org"));
    }

    @Test
    void auditListWhenFilteredByTypeIpAndTimeThenOnlyMatchingRecords() {
        var byTypeAndIp = cli.run("audit", "list", "--type", "login_failed", "--ip", "198.51.100.7");
        var byTime = cli.run("audit", "list", "--since", "2026-11-28T10:04:00Z", "--until", "2026-11-28T10:06:00Z");

        assertThat(byTypeAndIp.out().lines().skip(1).toList()).hasSize(2).allSatisfy(l -> assertThat(l).contains("login_failed", "198.51.100.7"));
        assertThat(byTypeAndIp.out()).contains("#" + AuditLog.hint("bob@example.org")).doesNotContain("bob@example.org");
        assertThat(byTime.out().lines().skip(1).toList()).singleElement().satisfies(l -> assertThat(l).contains("wrong_password"));
    }

    @Test
    void auditListWhenUserAgentCarriesCrLfThenItIsPrintedEscapedOnOneLine() {
        var list = cli.run("audit", "list", "--type", "login_failed", "--account", alice.toString());

        assertThat(list.out().lines().skip(1).toList()).singleElement().satisfies(l -> assertThat(l).contains("curl/8\\u000d\\u000aforged"));
    }

    @Test
    void auditListWhenJsonThenOneObjectPerLineWithChainFields() throws Exception {
        var list = cli.run("audit", "list", "--json", "--limit", "2");

        var lines = list.out().lines().toList();
        assertThat(lines).hasSize(2);
        var first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.getFirst());
        assertThat(first.get("type").asText()).isEqualTo("login_failed");
        assertThat(first.get("hash").asText()).hasSize(64);
        assertThat(first.get("seq").asLong()).isGreaterThan(new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(1)).get("seq").asLong());
    }

    @Test
    void auditListWhenOptionIsMalformedThenExit2NamingIt() {
        var badTime = cli.run("audit", "list", "--since", "yesterday");
        var badLimit = cli.run("audit", "list", "--limit", "0");

        assertThat(badTime.exitCode()).isEqualTo(2);
        assertThat(badTime.err()).contains("--since must be an ISO-8601 instant");
        assertThat(badLimit.exitCode()).isEqualTo(2);
        assertThat(badLimit.err()).contains("--limit must be between 1 and 1000");
    }

    @Test
    void auditVerifyWhenUntouchedThenExit0AndSaysIntact() {
        var verify = cli.run("audit", "verify");

        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).startsWith("audit trail intact: ").contains("records checked (records 1 to ");
    }

    @Test
    void auditVerifyWhenARecordWasAlteredThenExit1NamingTheRecord() {
        sql("update audit_events set reason = 'account_disabled' where reason = 'wrong_password'");

        var verify = cli.run("audit", "verify");

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).containsPattern("altered: record \\d+ \\(login_failed at 2026-11-28T10:05:00Z\\) was altered");
        assertThat(verify.err()).contains("audit trail verification failed: 1 problem");
    }

    @Test
    void auditVerifyWhenARecordWasDeletedThenExit1NamingItsPosition() {
        long seq = withSeq("select seq from audit_events where type = 'login_succeeded'");
        sql("delete from audit_events where seq = " + seq);

        var verify = cli.run("audit", "verify");

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).contains("missing: record " + seq + " is missing (deleted)");
    }

    @Test
    void auditVerifyWhenRecordsWereReorderedThenExit1NamingThem() {
        long a = withSeq("select seq from audit_events where type = 'login_succeeded'");
        sql("update audit_events set seq = -1 where seq = " + a);
        sql("update audit_events set seq = " + a + " where seq = " + (a + 1));
        sql("update audit_events set seq = " + (a + 1) + " where seq = -1");

        var verify = cli.run("audit", "verify");

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).contains("out-of-place: record " + a + " ");
    }

    private long withSeq(String query) {
        var seq = new AtomicReference<Long>();
        withDatabase(db -> seq.set(db.jdbi().withHandle(h -> h.createQuery(query).mapTo(Long.class).one())));
        return seq.get();
    }

    @Test
    void auditTailWhenFollowingThenNewRecordsFromAnotherWriterAppearUntilStopped() throws Exception {
        var result = new AtomicReference<Cli.Result>();
        var tail = Thread.ofVirtual().start(() -> result.set(cli.run("audit", "tail", "-n", "1", "--json", "--poll", "100ms")));
        // Wait until the tail is following (it registered its stop hook), then write from elsewhere.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (cli.shutdownHooks.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        Thread.sleep(300);
        withDatabase(db -> new AuditLog(new JdbiAuditStore(db.jdbi()), java.time.Clock.systemUTC())
                .success(AuditType.LOGGED_OUT, Optional.of(alice), new ClientInfo("192.0.2.99", "tail test")));
        Thread.sleep(600);
        cli.shutdownHooks.forEach(Runnable::run);
        tail.join(Duration.ofSeconds(10));

        assertThat(result.get()).isNotNull();
        assertThat(result.get().exitCode()).as(result.get().err()).isZero();
        var lines = result.get().out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"type\":\"login_failed\"");
        assertThat(lines.get(1)).contains("\"type\":\"logged_out\"", "192.0.2.99");
    }

    @Test
    void auditPruneWhenRecordsAreOlderThanTheRetentionThenDeletedAndTheTrailStillVerifies() {
        // The fixture's records are from 2026-11-28; the CLI's clock is the real one, so nothing is recent enough to keep
        // unless it is newer than the retention. A first record written now stays.
        withDatabase(db -> new AuditLog(new JdbiAuditStore(db.jdbi()), java.time.Clock.systemUTC())
                .success(AuditType.LOGGED_OUT, Optional.of(alice), ClientInfo.unknown()));
        boolean fixtureIsOld = Instant.parse("2026-11-28T10:10:00Z").isBefore(Instant.now().minus(Duration.ofDays(7)));
        var prune = cli.run("audit", "prune", "--older-than", "7d");
        var verify = cli.run("audit", "verify");

        assertThat(prune.exitCode()).as(prune.err()).isZero();
        if (fixtureIsOld) assertThat(prune.out()).startsWith("deleted ").contains("the trail now starts at record");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
    }

    @Test
    void auditPruneWhenNoRetentionGivenOrTooShortThenExit2() {
        assertThat(cli.run("audit", "prune").err()).contains("no retention: give --older-than or set audit.retention");
        assertThat(cli.run("audit", "prune", "--older-than", "1d").exitCode()).isEqualTo(2);
    }
}
