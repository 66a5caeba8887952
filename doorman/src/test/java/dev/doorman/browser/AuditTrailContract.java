package dev.doorman.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doorman.TestServer;
import dev.doorman.account.Email;
import dev.doorman.account.UserId;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditEvent.Outcome;
import dev.doorman.audit.AuditType;
import dev.doorman.testkit.TestMail;
import dev.doorman.web.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.doorman.audit.AuditEvent.Outcome.FAILURE;
import static dev.doorman.audit.AuditEvent.Outcome.SUCCESS;
import static dev.doorman.browser.Browser.fields;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AU-01..03 over the pages: one structured record per authentication event, with who, what, when, where and how it
 * ended; no password, token, cookie or unknown address in the trail, in any table, or in the log. Runs once per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuditTrailContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEW_PASSWORD = "violet tractor mirrors a quiet ocean";

    TestServer server;

    abstract TestServer.Store store();

    @BeforeAll
    void startServer() {
        server = TestServer.start(store());
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    record Expected(AuditType type, Outcome outcome, Optional<String> reason, boolean userKnown, Instant at) { }

    private List<AuditEvent> eventsFrom(String userAgent) {
        return server.doorman.auditTrail().recent(5000).stream()
                .filter(e -> e.client().userAgent().equals(userAgent))
                .sorted(Comparator.comparing(AuditEvent::at))
                .toList();
    }

    private Instant tick() {
        return server.clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void scenarioWhenEveryAccountEventHappensThenOneStructuredRecordEachWithoutSecretsAnywhere() throws Exception {
        String random = UUID.randomUUID().toString().replace("-", "");
        String userAgent = "AuditScenario/" + random;
        String email = "audited-" + random.substring(0, 8) + "@example.org";
        String canaryPassword = "CANARY-PW-" + random;
        String canaryEmail = "canary-" + random.substring(8, 20) + "@unknown.example";
        var expected = new ArrayList<Expected>();
        var secrets = new LinkedHashMap<String, String>();
        secrets.put("canary password", canaryPassword);
        secrets.put("canary e-mail", canaryEmail);
        secrets.put("canary e-mail local part", canaryEmail.substring(0, canaryEmail.indexOf('@')));
        secrets.put("password", TestServer.PASSWORD);
        secrets.put("new password", NEW_PASSWORD);

        var a = new Browser(server, userAgent);
        var b = new Browser(server, userAgent);
        String log;
        try (var capture = new LogCapture()) {
            Instant at = tick();
            assertThat(a.submit("/register", "/register", fields("email", email, "password", TestServer.PASSWORD)).status()).isEqualTo(200);
            expected.add(new Expected(AuditType.ACCOUNT_REGISTERED, SUCCESS, Optional.empty(), true, at));

            String verifyLink = Browser.linkFromMail(server, email, "/verify-email");
            secrets.put("verification token", TestMail.tokenFrom(verifyLink));
            at = tick();
            var confirm = a.get(verifyLink);
            assertThat(a.post("/verify-email", confirm.csrfField(), fields("token", TestMail.tokenFrom(verifyLink))).status()).isEqualTo(200);
            expected.add(new Expected(AuditType.EMAIL_VERIFIED, SUCCESS, Optional.empty(), true, at));

            at = tick();
            assertThat(a.login(canaryEmail, canaryPassword).status()).isEqualTo(401);
            expected.add(new Expected(AuditType.LOGIN_FAILED, FAILURE, Optional.of("unknown_account"), false, at));

            at = tick();
            assertThat(a.login(email, canaryPassword).status()).isEqualTo(401);
            expected.add(new Expected(AuditType.LOGIN_FAILED, FAILURE, Optional.of("wrong_password"), true, at));

            at = tick();
            a.loggedIn(email, TestServer.PASSWORD);
            secrets.put("session cookie A", a.sessionCookie().orElseThrow());
            expected.add(new Expected(AuditType.LOGIN_SUCCEEDED, SUCCESS, Optional.empty(), true, at));

            at = tick();
            b.loggedIn(email, TestServer.PASSWORD);
            secrets.put("session cookie B", b.sessionCookie().orElseThrow());
            expected.add(new Expected(AuditType.LOGIN_SUCCEEDED, SUCCESS, Optional.empty(), true, at));

            at = tick();
            var account = a.get("/account");
            secrets.put("CSRF token", account.csrfField());
            String otherSession = Browser.revocableSessionIds(account).getFirst();
            assertThat(a.post("/account/sessions/" + otherSession + "/revoke", account.csrfField(), fields()).status()).isEqualTo(303);
            expected.add(new Expected(AuditType.SESSION_REVOKED, SUCCESS, Optional.empty(), true, at));

            at = tick();
            assertThat(a.postWithoutToken("/account/password", fields("currentPassword", TestServer.PASSWORD, "newPassword", NEW_PASSWORD))
                    .status()).isEqualTo(403);
            expected.add(new Expected(AuditType.CSRF_REJECTED, FAILURE, Optional.of("invalid_token"), true, at));

            at = tick();
            assertThat(a.submit("/account", "/account/password", fields("currentPassword", canaryPassword, "newPassword", NEW_PASSWORD))
                    .status()).isEqualTo(400);
            expected.add(new Expected(AuditType.PASSWORD_CHANGE_FAILED, FAILURE, Optional.of("wrong_current_password"), true, at));

            at = tick();
            assertThat(a.submit("/account", "/account/password", fields("currentPassword", TestServer.PASSWORD, "newPassword", NEW_PASSWORD))
                    .status()).isEqualTo(303);
            expected.add(new Expected(AuditType.PASSWORD_CHANGED, SUCCESS, Optional.empty(), true, at));

            at = tick();
            assertThat(a.submit("/account", "/logout", fields()).status()).isEqualTo(303);
            expected.add(new Expected(AuditType.LOGGED_OUT, SUCCESS, Optional.empty(), true, at));

            at = tick();
            assertThat(a.submit("/forgot-password", "/forgot-password", fields("email", email)).status()).isEqualTo(200);
            expected.add(new Expected(AuditType.PASSWORD_RESET_REQUESTED, SUCCESS, Optional.empty(), true, at));

            String resetLink = Browser.linkFromMail(server, email, "/reset-password");
            secrets.put("reset token", TestMail.tokenFrom(resetLink));
            at = tick();
            var resetForm = a.get(resetLink);
            assertThat(a.post("/reset-password", resetForm.csrfField(), fields("token", TestMail.tokenFrom(resetLink), "password", canaryPassword))
                    .status()).isEqualTo(200);
            expected.add(new Expected(AuditType.PASSWORD_RESET_COMPLETED, SUCCESS, Optional.empty(), true, at));

            server.mail.waitForMails(email, 3, Duration.ofSeconds(10));
            log = capture.text();
        }

        UserId user = server.doorman.users().findByEmail(Email.parse(email).orElseThrow()).orElseThrow().id();
        List<AuditEvent> events = eventsFrom(userAgent);
        assertThat(events).extracting(AuditEvent::type).containsExactlyElementsOf(expected.stream().map(Expected::type).toList());
        for (int i = 0; i < events.size(); i++) {
            AuditEvent event = events.get(i);
            Expected want = expected.get(i);
            assertThat(event.outcome()).as("outcome of %s", want.type()).isEqualTo(want.outcome());
            assertThat(event.reason()).as("reason of %s", want.type()).isEqualTo(want.reason());
            assertThat(event.at()).as("time of %s", want.type()).isEqualTo(want.at());
            assertThat(event.client().ip()).as("ip of %s", want.type()).isEqualTo("127.0.0.1");
            assertThat(event.user()).as("user of %s", want.type()).isEqualTo(want.userKnown() ? Optional.of(user) : Optional.empty());
            if (want.userKnown()) {
                assertThat(event.subjectHint()).as("hint of %s", want.type()).isEmpty();
            } else {
                assertThat(event.subjectHint()).as("hint of %s", want.type()).hasValueSatisfying(hint -> assertThat(hint)
                        .matches("[0-9a-f]{16}").isEqualTo(sha256Hex(canaryEmail).substring(0, 16)));
            }
        }

        // AU-03: neither canary nor any issued secret is in the audit rows, read raw, or in any column of any table.
        List<Map<String, Object>> rawAudit = server.database.jdbi().withHandle(h ->
                h.createQuery("select * from audit_events").mapToMap().list());
        assertThat(rawAudit).hasSizeGreaterThanOrEqualTo(events.size());
        for (var row : rawAudit) {
            secrets.forEach((what, value) -> assertThat(String.valueOf(row.values())).as("%s in audit row %s", what, row).doesNotContain(value));
        }
        Map<String, List<String>> everyTextCell = everyCellOfEveryTable();
        assertThat(everyTextCell).containsKeys("users", "sessions", "action_tokens", "audit_events");
        everyTextCell.forEach((table, cells) -> secrets.forEach((what, value) ->
                assertThat(cells).as("%s in table %s", what, table).noneMatch(cell -> cell.contains(value))));

        // The log has one JSON line per event (one per line, parseable) and none of the secrets.
        List<JsonNode> lines = log.lines().filter(l -> l.contains(userAgent)).map(l -> parseJsonAt(l, l.indexOf('{'))).toList();
        assertThat(lines).extracting(n -> n.get("event").asText())
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(e -> e.type().wireName()).toList());
        secrets.forEach((what, value) -> assertThat(log).as("%s in the log", what).doesNotContain(value));
    }

    @Test
    void loginWhenIdentifierIsMalformedWithCrLfThenExactlyOneEncodedFailureRecordAndNoForgedLogLine() {
        String userAgent = "AuditCrLf/" + UUID.randomUUID();
        String forged = "bob\r\n2026-01-01T00:00:00Z login_succeeded admin";
        var browser = new Browser(server, userAgent);
        String log;
        try (var capture = new LogCapture()) {
            assertThat(browser.login(forged, "whatever whatever whatever").status()).isEqualTo(401);
            log = capture.text();
        }

        assertThat(log.lines()).as("a forged log line").noneMatch(l -> l.startsWith("2026-01-01T00:00:00Z"));
        List<AuditEvent> events = eventsFrom(userAgent);
        assertThat(events).as("AU-01/03: a failed login with a malformed identifier is still one (encoded) record").hasSize(1);
        assertThat(events.getFirst().type()).isEqualTo(AuditType.LOGIN_FAILED);
        assertThat(events.getFirst().user()).isEmpty();
        assertThat(log.lines().filter(l -> l.contains("admin"))).allSatisfy(l -> assertThat(l).contains(userAgent));
    }

    @Test
    void loginWhenUserAgentCarriesCrLfThenRefusedAtTheHttpLayerAndNothingIsRecorded() {
        String marker = "AuditUaCrLf-" + UUID.randomUUID();
        var browser = new Browser(server, "setup");
        String csrf = browser.get("/login").csrfField();
        String preSession = browser.http.cookies().get(server.doorman.settings().session().preSessionCookieName());
        String body = "csrf=" + java.net.URLEncoder.encode(csrf, StandardCharsets.UTF_8) + "&email=nobody%40example.org&password=x";

        for (String separator : List.of("\r\n", "\r", "\n")) {
            var response = RawHttp.send(server.baseUrl, "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + marker + separator
                    + "2026-01-01T00:00:00Z login_succeeded admin\r\nCookie: doorman_presession=" + preSession
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\n", body);
            assertThat(response.status()).as("separator %s", separator.replace("\r", "CR").replace("\n", "LF")).isIn(400, 401);
        }

        assertThat(server.doorman.auditTrail().recent(5000)).noneMatch(e -> e.client().userAgent().contains(marker)
                && (e.client().userAgent().contains("\r") || e.client().userAgent().contains("\n")));
    }

    @Test
    void loginWhenUserAgentHasQuotesBackslashesAndTabsThenOneRecordAndTheLogLineIsOneValidJsonObject() {
        String userAgent = "Evil \"agent\" \\ with\ttab and } braces {\"event\":\"login_succeeded\"} " + UUID.randomUUID();
        var browser = new Browser(server, userAgent);
        String log;
        try (var capture = new LogCapture()) {
            assertThat(browser.login("nobody-" + UUID.randomUUID() + "@example.org", "whatever whatever whatever").status()).isEqualTo(401);
            log = capture.text();
        }

        assertThat(eventsFrom(userAgent)).hasSize(1).first().satisfies(e -> {
            assertThat(e.type()).isEqualTo(AuditType.LOGIN_FAILED);
            assertThat(e.reason()).contains("unknown_account");
        });
        List<String> lines = log.lines().filter(l -> l.contains("login_failed") && l.contains("Evil")).toList();
        assertThat(lines).hasSize(1);
        JsonNode node = parseJsonAt(lines.getFirst(), lines.getFirst().indexOf('{'));
        assertThat(node.get("user_agent").asText()).isEqualTo(userAgent);
        assertThat(node.get("event").asText()).isEqualTo("login_failed");
        assertThat(node.get("outcome").asText()).isEqualTo("failure");
    }

    private Map<String, List<String>> everyCellOfEveryTable() throws Exception {
        return server.database.jdbi().withHandle(h -> {
            var meta = h.getConnection().getMetaData();
            var tables = new ArrayList<String>();
            try (ResultSet rs = meta.getTables(null, null, "%", new String[]{"TABLE"})) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if (schema == null || schema.equals("public") || schema.equals("main")) tables.add(rs.getString("TABLE_NAME"));
                }
            }
            var cells = new LinkedHashMap<String, List<String>>();
            for (String table : tables) {
                var values = new ArrayList<String>();
                try (var statement = h.getConnection().createStatement();
                     ResultSet rs = statement.executeQuery("select * from \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int c = 1; c <= columns; c++) {
                            String value = rs.getString(c);
                            if (value != null) values.add(value);
                        }
                    }
                }
                cells.put(table.toLowerCase(java.util.Locale.ROOT), values);
            }
            return cells;
        });
    }

    private static JsonNode parseJsonAt(String line, int start) {
        assertThat(start).as("a JSON object in the log line: %s", line).isNotNegative();
        try {
            return JSON.readTree(line.substring(start));
        } catch (Exception e) {
            throw new AssertionError("not one JSON object: " + line, e);
        }
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
