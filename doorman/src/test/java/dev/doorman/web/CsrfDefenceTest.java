package dev.doorman.web;

import dev.doorman.TestServer;
import dev.doorman.account.Email;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditType;
import dev.doorman.browser.Browser;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;

import static dev.doorman.browser.Browser.fields;
import static org.assertj.core.api.Assertions.assertThat;

/** CS-01..05: synchronizer tokens, login CSRF, Fetch Metadata and Origin checks, JSON-only APIs, no CORS. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsrfDefenceTest {
    private static final String PASSWORD = TestServer.PASSWORD;
    private static final String NEW_PASSWORD = "violet tractor mirrors a quiet ocean";
    private static final String EVIL = "https://evil.example";

    private TestServer server;

    @BeforeAll
    void startServer() {
        server = TestServer.start(TestServer.Store.SQLITE);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    private static String email(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    private Browser loggedIn(String email) {
        server.registerVerified(email, PASSWORD);
        return new Browser(server).loggedIn(email, PASSWORD);
    }

    private String passwordHash(String email) {
        return server.doorman.users().findByEmail(Email.parse(email).orElseThrow()).orElseThrow().passwordHash().orElseThrow();
    }

    private long csrfRejections(String reason) {
        return server.doorman.auditTrail().recent(1000).stream()
                .filter(e -> e.type() == AuditType.CSRF_REJECTED && e.reason().equals(java.util.Optional.of(reason))).count();
    }

    private static void assertForbidden(TestHttp.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.body()).contains("Forbidden");
    }

    @Test
    void loginWhenCsrfTokenMissingThen403AndNoSession() {
        String email = email("nologin");
        server.registerVerified(email, PASSWORD);
        var browser = new Browser(server);
        browser.get("/login");
        long before = csrfRejections("invalid_token");

        var response = browser.postWithoutToken("/login", fields("email", email, "password", PASSWORD));

        assertForbidden(response);
        assertThat(response.body()).contains("CSRF token");
        assertThat(SetCookie.named(response, server.sessionCookieName())).isEmpty();
        assertThat(browser.sessionCookie()).isEmpty();
        assertThat(csrfRejections("invalid_token")).isEqualTo(before + 1);
    }

    @Test
    void registerWhenCsrfTokenMissingThen403AndNoAccountAndNoMail() {
        String email = email("noregister");
        var browser = new Browser(server);
        browser.get("/register");

        var response = browser.postWithoutToken("/register", fields("email", email, "password", PASSWORD));

        assertForbidden(response);
        assertThat(server.doorman.users().findByEmail(Email.parse(email).orElseThrow())).isEmpty();
        assertThat(server.mail.all()).noneMatch(m -> m.to().equalsIgnoreCase(email));
    }

    @Test
    void logoutWhenCsrfTokenMissingThen403AndSessionStillValid() {
        var browser = loggedIn(email("nologout"));

        assertForbidden(browser.postWithoutToken("/logout", fields()));

        assertThat(browser.sessionCookie()).isPresent();
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }

    @Test
    void changePasswordWhenCsrfTokenMissingThen403AndPasswordUnchanged() {
        String email = email("nochange");
        var browser = loggedIn(email);
        String hash = passwordHash(email);

        assertForbidden(browser.postWithoutToken("/account/password", fields("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)));

        assertThat(passwordHash(email)).isEqualTo(hash);
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }

    @Test
    void changePasswordWhenCsrfTokenIsWrongThen403AndPasswordUnchanged() {
        String email = email("wrongtoken");
        var browser = loggedIn(email);
        String hash = passwordHash(email);

        assertForbidden(browser.post("/account/password", "A".repeat(43), fields("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)));
        assertForbidden(browser.post("/account/password", "", fields("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)));

        assertThat(passwordHash(email)).isEqualTo(hash);
    }

    @Test
    void loginWhenTokenComesFromAnotherClientsPreSessionThen403() {
        String email = email("loginCsrf");
        server.registerVerified(email, PASSWORD);
        var attacker = new Browser(server);
        String attackerToken = attacker.get("/login").csrfField();
        var victim = new Browser(server);
        victim.get("/login");

        var response = victim.post("/login", attackerToken, fields("email", email, "password", PASSWORD));

        assertForbidden(response);
        assertThat(victim.sessionCookie()).isEmpty();
    }

    @Test
    void loginWhenTokenSentWithoutAnyPreSessionCookieThen403() {
        String email = email("nopresession");
        server.registerVerified(email, PASSWORD);
        String token = new Browser(server).get("/login").csrfField();
        var fresh = new Browser(server);

        assertForbidden(fresh.post("/login", token, fields("email", email, "password", PASSWORD)));
    }

    @Test
    void loginWhenPreSessionExistsThenTheLoginResponseClearsItAndSetsTheSessionCookie() {
        String email = email("presession");
        server.registerVerified(email, PASSWORD);
        var browser = new Browser(server);
        var form = browser.get("/login");
        String preSessionName = server.doorman.settings().session().preSessionCookieName();
        assertThat(browser.http.cookies()).containsKey(preSessionName);

        var login = browser.post("/login", form.csrfField(), fields("email", email, "password", PASSWORD));

        assertThat(login.status()).isEqualTo(303);
        assertThat(SetCookie.named(login, preSessionName)).hasValueSatisfying(c -> assertThat(c.deletes()).isTrue());
        assertThat(SetCookie.named(login, server.sessionCookieName())).hasValueSatisfying(c -> assertThat(c.deletes()).isFalse());
        assertThat(browser.http.cookies()).doesNotContainKey(preSessionName).containsKey(server.sessionCookieName());
    }

    @Test
    void formWhenPreSessionTokenReusedAfterLoginThen403() {
        String email = email("staleprelogin");
        server.registerVerified(email, PASSWORD);
        var browser = new Browser(server);
        String preLoginToken = browser.get("/login").csrfField();
        assertThat(browser.post("/login", preLoginToken, fields("email", email, "password", PASSWORD)).status()).isEqualTo(303);

        assertForbidden(browser.post("/logout", preLoginToken, fields()));
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }

    @Test
    void formWhenSessionTokenCapturedBeforeLogoutIsUsedAfterLoggingInAgainThen403() {
        String email = email("stale");
        var browser = loggedIn(email);
        String oldToken = browser.get("/account").csrfField();
        assertThat(browser.post("/logout", oldToken, fields()).status()).isEqualTo(303);
        browser.loggedIn(email, PASSWORD);
        String hash = passwordHash(email);

        assertForbidden(browser.post("/account/password", oldToken, fields("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)));
        assertForbidden(browser.post("/logout", oldToken, fields()));

        assertThat(passwordHash(email)).isEqualTo(hash);
        assertThat(browser.get("/account").status()).isEqualTo(200);
        String freshToken = browser.get("/account").csrfField();
        assertThat(freshToken).isNotEqualTo(oldToken);
        assertThat(browser.post("/logout", freshToken, fields()).status()).isEqualTo(303);
    }

    @Test
    void formWhenTokenOfAnotherUsersSessionIsUsedThen403() {
        var alice = loggedIn(email("alice"));
        var bob = loggedIn(email("bob"));
        String aliceToken = alice.get("/account").csrfField();

        assertForbidden(bob.post("/logout", aliceToken, fields()));
        assertThat(bob.get("/account").status()).isEqualTo(200);
    }

    @Test
    void logoutWhenValidTokenButSecFetchSiteCrossSiteThen403AndSessionStillValid() {
        var browser = loggedIn(email("crosssite"));
        String token = browser.get("/account").csrfField();
        long before = csrfRejections("cross_origin");
        browser.http.setHeader("Sec-Fetch-Site", "cross-site");

        assertForbidden(browser.post("/logout", token, fields()));

        browser.http.clearHeader("Sec-Fetch-Site");
        assertThat(browser.get("/account").status()).isEqualTo(200);
        assertThat(csrfRejections("cross_origin")).isEqualTo(before + 1);
    }

    @Test
    void logoutWhenValidTokenButSecFetchSiteSameSiteThen403() {
        var browser = loggedIn(email("samesite"));
        String token = browser.get("/account").csrfField();
        browser.http.setHeader("Sec-Fetch-Site", "same-site");

        assertForbidden(browser.post("/logout", token, fields()));

        browser.http.clearHeader("Sec-Fetch-Site");
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }

    @Test
    void logoutWhenNoFetchMetadataAndForeignOriginThen403() {
        var browser = loggedIn(email("evilorigin"));
        String token = browser.get("/account").csrfField();
        browser.http.setHeader("Origin", EVIL);

        assertForbidden(browser.post("/logout", token, fields()));

        browser.http.clearHeader("Origin");
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }

    @Test
    void logoutWhenOriginIsNullThen403() {
        var browser = loggedIn(email("nullorigin"));
        String token = browser.get("/account").csrfField();
        browser.http.setHeader("Origin", "null");

        assertForbidden(browser.post("/logout", token, fields()));

        browser.http.clearHeader("Origin");
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }

    @Test
    void logoutWhenNoOriginAndForeignRefererThen403() {
        var browser = loggedIn(email("evilreferer"));
        String token = browser.get("/account").csrfField();
        browser.http.setHeader("Referer", EVIL + "/page");

        assertForbidden(browser.post("/logout", token, fields()));

        browser.http.clearHeader("Referer");
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }

    @Test
    void logoutWhenOriginIsALookalikeOfOurOriginThen403() {
        var browser = loggedIn(email("lookalike"));
        String token = browser.get("/account").csrfField();
        browser.http.setHeader("Referer", server.baseUrl + ".evil.example/");

        assertForbidden(browser.post("/logout", token, fields()));

        browser.http.clearHeader("Referer");
        browser.http.setHeader("Origin", server.baseUrl + ".evil.example");
        assertForbidden(browser.post("/logout", token, fields()));
    }

    @Test
    void logoutWhenSameOriginOriginAndValidTokenThenAccepted() {
        var browser = loggedIn(email("ownorigin"));
        String token = browser.get("/account").csrfField();
        browser.http.setHeader("Origin", server.baseUrl);

        var response = browser.post("/logout", token, fields());

        assertThat(response.status()).isEqualTo(303);
        assertThat(browser.sessionCookie()).isEmpty();
    }

    @Test
    void logoutWhenSecFetchSiteSameOriginAndValidTokenThenAccepted() {
        var browser = loggedIn(email("fetchsameorigin"));
        String token = browser.get("/account").csrfField();
        browser.http.setHeader("Sec-Fetch-Site", "same-origin");
        browser.http.setHeader("Origin", server.baseUrl);

        assertThat(browser.post("/logout", token, fields()).status()).isEqualTo(303);
        assertThat(browser.sessionCookie()).isEmpty();
    }

    @Test
    void apiWhenSessionCookieButNoCsrfHeaderThen403AndWithTheHeaderThenOk() {
        String email = email("api");
        server.registerVerified(email, PASSWORD);
        TestHttp http = server.apiLogin(email, PASSWORD);
        var other = server.apiLogin(email, PASSWORD);
        http.clearHeader("X-CSRF-Token");

        var refused = http.deleteJson("/api/v1/me/sessions");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(refused.json().get("code").asText()).isEqualTo("csrf.invalid_token");
        assertThat(other.get("/api/v1/me").status()).as("nothing changed").isEqualTo(200);

        http.setHeader("X-CSRF-Token", "A".repeat(43));
        assertThat(http.deleteJson("/api/v1/me/sessions").status()).isEqualTo(403);
        assertThat(other.get("/api/v1/me").status()).isEqualTo(200);

        var loggedInAgain = http.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(loggedInAgain.status()).as("re-login with a session also needs the token").isEqualTo(403);
    }

    @Test
    void apiWhenSessionCookieAndCsrfHeaderThenOk() {
        String email = email("apiok");
        server.registerVerified(email, PASSWORD);
        TestHttp http = server.apiLogin(email, PASSWORD);
        var other = server.apiLogin(email, PASSWORD);

        assertThat(http.deleteJson("/api/v1/me/sessions").status()).isEqualTo(204);

        assertThat(other.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(http.get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void apiWhenSessionCookieAndFormEncodedBodyThen403Or415AndNothingChanged() {
        String email = email("apiform");
        server.registerVerified(email, PASSWORD);
        TestHttp http = server.apiLogin(email, PASSWORD);
        http.clearHeader("X-CSRF-Token");
        String hash = passwordHash(email);

        var response = http.postForm("/api/v1/me/password", Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD));

        assertThat(response.status()).isIn(403, 415);
        assertThat(passwordHash(email)).isEqualTo(hash);
    }

    @Test
    void apiLoginWhenSentAsTextPlainThen415AndNoSession() {
        String email = email("textplain");
        server.registerVerified(email, PASSWORD);
        var http = server.client();

        var response = http.send(http.request("/api/v1/session")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}")));

        assertThat(response.status()).isEqualTo(415);
        assertThat(http.cookies()).doesNotContainKey(server.sessionCookieName());
    }

    @Test
    void apiLoginWhenCrossOriginThen403AndNoSession() {
        String email = email("apicross");
        server.registerVerified(email, PASSWORD);
        var http = server.client();
        http.setHeader("Origin", EVIL);

        var response = http.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");

        assertThat(response.status()).isEqualTo(403);
        assertThat(http.cookies()).doesNotContainKey(server.sessionCookieName());
    }

    @Test
    void responseWhenRequestCarriesForeignOriginThenNoCorsHeaders() {
        String email = email("cors");
        server.registerVerified(email, PASSWORD);
        var http = server.apiLogin(email, PASSWORD);
        http.setHeader("Origin", EVIL);

        var responses = java.util.List.of(
                http.get("/api/v1/me"),
                http.get("/api/v1/me/sessions"),
                http.get("/account"),
                http.get("/login"),
                http.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}"),
                http.send(http.request("/api/v1/session").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "content-type, x-csrf-token")),
                http.send(http.request("/api/v1/me").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Access-Control-Request-Method", "GET")));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.header("Access-Control-Allow-Origin")).as("ACAO on %s", r).isEmpty();
            assertThat(r.header("Access-Control-Allow-Credentials")).as("ACAC on %s", r).isEmpty();
            assertThat(r.header("Access-Control-Allow-Methods")).isEmpty();
            assertThat(r.header("Access-Control-Allow-Headers")).isEmpty();
        });
        assertThat(responses.get(5).status()).as("a CORS preflight is not answered with success").isGreaterThanOrEqualTo(400);
    }

    @Test
    void responseWhenCsrfCheckedThenVariesOnOriginAndFetchMetadata() {
        var response = new Browser(server).get("/login");

        assertThat(response.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin").contains("Sec-Fetch-Site").contains("Cookie"));
    }

    @Test
    void csrfRejectionWhenLoggedInThenAuditedWithTheUser() {
        String email = email("auditcsrf");
        var browser = loggedIn(email);
        var user = server.doorman.users().findByEmail(Email.parse(email).orElseThrow()).orElseThrow().id();

        assertForbidden(browser.postWithoutToken("/logout", fields()));

        assertThat(server.doorman.auditTrail().forUser(user, 10)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(AuditType.CSRF_REJECTED);
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
            assertThat(e.reason()).contains("invalid_token");
            assertThat(e.client().ip()).isEqualTo("127.0.0.1");
        });
    }
}
