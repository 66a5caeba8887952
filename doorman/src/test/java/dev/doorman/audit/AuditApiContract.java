package dev.doorman.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doorman.TestServer;
import dev.doorman.account.RoleStore;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin audit API over HTTP on a real server: who may call it, its filters, paging, errors and chain check. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuditApiContract {
    private static final String API = AuditPaths.API_LIST;
    private final AtomicInteger addresses = new AtomicInteger();
    private TestServer server;

    abstract TestServer.Store store();

    @BeforeAll
    void start() {
        server = TestServer.start(store());
        server.doorman.roles().save(new RoleStore.Role("admin", Optional.empty()));
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    private String address(String name) {
        return name + "-" + addresses.incrementAndGet() + "@example.org";
    }

    private TestServer.LoggedIn admin() {
        var admin = server.registerAndLogIn(address("admin"));
        server.doorman.roles().setRoles(admin.user(), Set.of("admin"));
        return admin;
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void listWhenAnonymousThen401ProblemJson() {
        var response = server.client().get(API);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(response.json().get("code").asText()).isEqualTo("auth.unauthenticated");
    }

    @Test
    void listAndVerifyWhenSignedInWithoutTheAdminRoleThen403AndTheRefusalIsAudited() {
        var user = server.registerAndLogIn(address("user"));

        var list = user.http().get(API);
        var verify = user.http().get(AuditPaths.API_VERIFY);

        assertThat(list.status()).isEqualTo(403);
        assertThat(list.json().get("code").asText()).isEqualTo("auth.forbidden");
        assertThat(verify.status()).isEqualTo(403);
        assertThat(list.body()).doesNotContain("login_succeeded");
        assertThat(server.doorman.audit().find(new AuditQuery(Optional.of(user.user()), Optional.of("access_denied"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 10))).hasSize(2)
                .allSatisfy(r -> assertThat(r.reason()).contains("admin_role_required"));
    }

    @Test
    void listWhenTheRoleIsTakenAwayThenTheSameSessionIsRefusedAtOnce() {
        var admin = admin();
        assertThat(admin.http().get(API).status()).isEqualTo(200);

        server.doorman.roles().setRoles(admin.user(), Set.of());

        assertThat(admin.http().get(API).status()).isEqualTo(403);
    }

    @Test
    void listWhenFilteredByAccountThenThatAccountsEventsNewestFirstWithChainFields() {
        var admin = admin();
        String email = address("carol");
        var carol = server.registerAndLogIn(email);
        server.client().postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"wrong password for carol\"}");

        var byEmail = admin.http().get(API + "?account=" + q(email));
        var byId = admin.http().get(API + "?account=" + carol.user());

        assertThat(byEmail.status()).as(byEmail.body()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        byEmail.json().get("items").forEach(i -> types.add(i.get("type").asText()));
        assertThat(types).containsExactly("login_failed", "login_succeeded", "email_verified", "account_registered");
        JsonNode newest = byEmail.json().get("items").get(0);
        assertThat(newest.get("reason").asText()).isEqualTo("wrong_password");
        assertThat(newest.get("user").asText()).isEqualTo(carol.user().toString());
        assertThat(newest.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(newest.get("hash").asText()).hasSize(64);
        assertThat(newest.get("prevHash").asText()).hasSize(64);
        assertThat(byEmail.json().get("next").isNull()).isTrue();
        assertThat(byId.json().get("items")).isEqualTo(byEmail.json().get("items"));
    }

    @Test
    void listWhenAccountIsUnknownThenAnEmptyPage() {
        var response = admin().http().get(API + "?account=" + q("nobody-" + addresses.incrementAndGet() + "@example.org"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("items")).isEmpty();
    }

    @Test
    void listWhenFilteredByTypeIpAndTimeThenOnlyMatchingRecords() {
        String email = address("dave");
        server.registerVerified(email, TestServer.PASSWORD);
        // A window no other test's events share (the clock stands still unless a test moves it).
        server.clock.advance(Duration.ofHours(1));
        String before = server.clock.instant().toString();
        server.clock.advance(Duration.ofMinutes(1));
        server.client().postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"not daves password at all\"}");
        server.clock.advance(Duration.ofMinutes(1));
        String after = server.clock.instant().toString();
        server.clock.advance(Duration.ofMinutes(1));
        var admin = admin();

        var inWindow = admin.http().get(API + "?type=login_failed&ip=127.0.0.1&since=" + q(before) + "&until=" + q(after));
        var otherIp = admin.http().get(API + "?type=login_failed&ip=192.0.2.1");

        assertThat(inWindow.status()).as(inWindow.body()).isEqualTo(200);
        assertThat(inWindow.json().get("items")).singleElement().satisfies(i -> {
            assertThat(i.get("type").asText()).isEqualTo("login_failed");
            assertThat(i.get("at").asText()).isGreaterThanOrEqualTo(before).isLessThan(after);
        });
        assertThat(otherIp.json().get("items")).isEmpty();
    }

    @Test
    void listWhenPagedThenNextLinksWalkTheWholeTrailWithoutRepeats() {
        var admin = admin();
        for (int i = 0; i < 3; i++) server.registerVerified(address("page"), TestServer.PASSWORD);
        int total = server.doorman.audit().find(AuditQuery.all(1000)).size();

        List<Long> seen = new ArrayList<>();
        String link = API + "?limit=7";
        while (link != null) {
            var page = admin.http().get(link);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().get("items").forEach(i -> seen.add(i.get("seq").asLong()));
            link = page.json().get("next").isNull() ? null : page.json().get("next").asText();
        }

        assertThat(seen).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(total);
        assertThat(seen).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void listWhenAParameterIsMalformedOrUnknownThen400NamingIt() {
        TestHttp http = admin().http();
        record Case(String query, String says) { }
        for (var c : List.of(new Case("since=yesterday", "since must be an ISO-8601 instant"),
                new Case("limit=0", "limit must be a whole number from 1 to 1000"),
                new Case("limit=1001", "limit must be"),
                new Case("before=x", "before must be"),
                new Case("type=" + q("LOGIN FAILED'--"), "type must be an event type"),
                new Case("account=not-an-address", "account must be an e-mail address or a user id"),
                new Case("sort=at", "unknown parameter 'sort'"),
                new Case("type=a&type=b", "parameter 'type' is repeated"))) {
            var response = http.get(API + "?" + c.query());
            assertThat(response.status()).as(c.query()).isEqualTo(400);
            assertThat(response.json().get("code").asText()).isEqualTo("audit.invalid_query");
            assertThat(response.json().get("detail").asText()).as(c.query()).contains(c.says());
        }
    }

    @Test
    void verifyWhenARecordIsAlteredThenTheApiSaysWhichAndNotIntact() {
        var admin = admin();
        var intact = admin.http().get(AuditPaths.API_VERIFY);
        assertThat(intact.status()).isEqualTo(200);
        assertThat(intact.json().get("intact").asBoolean()).as(intact.body()).isTrue();
        long seq = server.doorman.audit().head().lastSeq();

        server.database.jdbi().useHandle(h -> h.execute("update audit_events set ip = '203.0.113.66' where seq = ?", seq));
        var tampered = admin.http().get(AuditPaths.API_VERIFY);
        server.database.jdbi().useHandle(h -> h.execute("update audit_events set ip = '127.0.0.1' where seq = ?", seq));

        assertThat(tampered.json().get("intact").asBoolean()).isFalse();
        assertThat(tampered.json().get("problems")).anySatisfy(p -> {
            assertThat(p.get("kind").asText()).isEqualTo("ALTERED");
            assertThat(p.get("seq").asLong()).isEqualTo(seq);
        });
    }
}
