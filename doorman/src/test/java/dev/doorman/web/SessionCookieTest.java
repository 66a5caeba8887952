package dev.doorman.web;

import dev.doorman.TestServer;
import dev.doorman.browser.Browser;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.doorman.browser.Browser.fields;
import static org.assertj.core.api.Assertions.assertThat;

/** SE-01/02/03/10: what the session cookie is made of, how it is sent, and where it never shows up. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionCookieTest {
    private static final String PASSWORD = TestServer.PASSWORD;
    private static final int LOGINS = 200;

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

    @Test
    void loginWhenRepeated200TimesThenEverySessionIdIsUnique256BitBase64UrlWithoutStructure() throws Exception {
        String email = email("many");
        server.registerVerified(email, PASSWORD);
        var values = new ConcurrentLinkedQueue<String>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < LOGINS; i++) {
                runs.add(pool.submit(() -> {
                    var http = server.client();
                    var response = http.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
                    assertThat(response.status()).isEqualTo(200);
                    values.add(SetCookie.named(response, server.sessionCookieName()).orElseThrow().value());
                }));
            }
            for (Future<?> run : runs) run.get();
        }

        List<String> ids = List.copyOf(values);
        assertThat(ids).hasSize(LOGINS).doesNotHaveDuplicates();
        assertThat(ids).allSatisfy(id -> {
            assertThat(id).hasSize(43).matches("[A-Za-z0-9_-]{43}");
            assertThat(Base64.getUrlDecoder().decode(id)).hasSize(32);
        });
        // No shared prefix (no time or counter in front) and no prefix of 6 characters (36 bits) seen twice.
        assertThat(ids.stream().map(id -> id.charAt(0)).distinct().count()).isGreaterThan(20);
        assertThat(ids.stream().map(id -> id.substring(0, 6)).distinct().count()).isEqualTo(LOGINS);
        // Bits look uniform: 51,200 bits, ones within ±2% of half (about nine standard deviations).
        long ones = 0;
        int[] perPosition = new int[256];
        for (String id : ids) {
            byte[] bytes = Base64.getUrlDecoder().decode(id);
            for (int bit = 0; bit < 256; bit++) {
                if ((bytes[bit / 8] >> (7 - bit % 8) & 1) == 1) {
                    ones++;
                    perPosition[bit]++;
                }
            }
        }
        assertThat((double) ones / (LOGINS * 256.0)).isBetween(0.48, 0.52);
        // No bit position is stuck: each is set in 25%..75% of the ids (a stuck bit would be 0% or 100%).
        assertThat(java.util.Arrays.stream(perPosition).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(LOGINS / 4, LOGINS * 3 / 4));
    }

    @Test
    void loginWhenSessionStartsThenCookieIsHttpOnlySecureLaxPathRootWithoutDomain() {
        String email = email("attrs");
        server.registerVerified(email, PASSWORD);
        var browser = new Browser(server);

        var login = browser.login(email, PASSWORD);

        assertThat(login.status()).isEqualTo(303);
        SetCookie cookie = SetCookie.named(login, "doorman_session").orElseThrow();
        assertThat(cookie.has("HttpOnly")).isTrue();
        assertThat(cookie.has("Secure")).isTrue();
        assertThat(cookie.attribute("SameSite")).contains("Lax");
        assertThat(cookie.attribute("Path")).contains("/");
        assertThat(cookie.has("Domain")).isFalse();
        assertThat(cookie.value()).doesNotContain(".").doesNotContain(email).doesNotContain("@");
        // Every cookie the server sets, including pre-session and deletions, has the same attributes.
        assertThat(SetCookie.all(login)).allSatisfy(c -> {
            assertThat(c.has("HttpOnly")).isTrue();
            assertThat(c.has("Secure")).isTrue();
            assertThat(c.attribute("Path")).contains("/");
            assertThat(c.has("Domain")).isFalse();
        });
    }

    @Test
    void formPageWhenFirstVisitedThenExactlyOnePreSessionCookieIsSet() {
        var browser = new Browser(server);

        var page = browser.get("/login");

        // Two different pre-session values in one response: only the last one matches the form's token in a browser
        // that keeps the last, and the other is a second secret issued for nothing.
        assertThat(page.setCookies()).filteredOn(c -> c.startsWith("doorman_presession=")).hasSize(1);
    }

    @Test
    void loginWhenPreviousSessionExistsThenSessionIdIsRotatedAndTheOldOneIsDead() {
        String email = email("rotate");
        server.registerVerified(email, PASSWORD);
        var browser = new Browser(server).loggedIn(email, PASSWORD);
        String first = browser.sessionCookie().orElseThrow();

        // Re-authentication while logged in: the login form posted with the session's own token.
        var relogin = browser.post("/login", browser.get("/account").csrfField(), fields("email", email, "password", PASSWORD));
        assertThat(relogin.status()).isEqualTo(303);
        String second = browser.sessionCookie().orElseThrow();

        assertThat(second).isNotEqualTo(first);
        var replay = server.client();
        replay.setCookie(server.sessionCookieName(), first);
        assertThat(replay.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }

    @Test
    void loginWhenAttackerPlantedASessionCookieThenANewIdIsIssuedAndThePlantedOneStaysAnonymous() {
        String email = email("fixation");
        server.registerVerified(email, PASSWORD);
        String planted = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]).replace('A', 'x');
        var browser = new Browser(server);
        browser.http.setCookie(server.sessionCookieName(), planted);

        var login = browser.login(email, PASSWORD);

        assertThat(login.status()).isEqualTo(303);
        assertThat(browser.sessionCookie()).isPresent().get().isNotEqualTo(planted);
        var attacker = server.client();
        attacker.setCookie(server.sessionCookieName(), planted);
        assertThat(attacker.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(attacker.get("/account").status()).isEqualTo(303);
    }

    @Test
    void loginWhenAttackerPlantedThePreSessionValueAsSessionCookieThenItIsNeverAdopted() {
        String email = email("fixation2");
        server.registerVerified(email, PASSWORD);
        var browser = new Browser(server);
        browser.get("/login");
        String preSession = browser.http.cookies().get("doorman_presession");
        browser.http.setCookie(server.sessionCookieName(), preSession);

        browser.loggedIn(email, PASSWORD);

        assertThat(browser.sessionCookie()).get().isNotEqualTo(preSession);
        var attacker = server.client();
        attacker.setCookie(server.sessionCookieName(), preSession);
        assertThat(attacker.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void requestWhenSessionIdIsInTheUrlInsteadOfTheCookieThenAnonymous() {
        String email = email("urlsid");
        server.registerVerified(email, PASSWORD);
        var owner = new Browser(server).loggedIn(email, PASSWORD);
        String value = owner.sessionCookie().orElseThrow();
        var stranger = server.client();

        for (String path : List.of("/account?sid=" + value, "/account?doorman_session=" + value, "/account?session=" + value,
                "/account?jsessionid=" + value)) {
            var response = stranger.get(path);
            assertThat(response.status()).as(path).isEqualTo(303);
            assertThat(response.location()).as(path).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
        }
        for (String path : List.of("/account;jsessionid=" + value, "/account;doorman_session=" + value, "/api/v1/me;jsessionid=" + value)) {
            var response = stranger.get(path);
            assertThat(response.status()).as(path).isNotEqualTo(200).isLessThan(500);
            assertThat(response.body()).as(path).doesNotContain(email);
        }
        assertThat(stranger.get("/api/v1/me?sid=" + value).status()).isEqualTo(401);
    }

    @Test
    void responsesWhenLoggedInThenNeverContainTheSessionValue() {
        String email = email("nobody");
        server.registerVerified(email, PASSWORD);
        var browser = new Browser(server);
        var responses = new ArrayList<TestHttp.Response>();
        String loginToken = browser.get("/login").csrfField();
        responses.add(browser.post("/login", loginToken, fields("email", email, "password", PASSWORD)));
        String value = browser.sessionCookie().orElseThrow();
        for (String path : List.of("/", "/login", "/account", "/account?done=password", "/register", "/forgot-password",
                "/api/v1/me", "/api/v1/me/sessions", "/nowhere", "/verify-email?token=x", "/reset-password?token=x")) {
            responses.add(browser.get(path));
        }
        var apiLogin = server.client().postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        String apiValue = SetCookie.named(apiLogin, server.sessionCookieName()).orElseThrow().value();
        responses.add(apiLogin);
        responses.add(browser.post("/logout", browser.get("/account").csrfField(), fields()));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.body()).doesNotContain(value).doesNotContain(apiValue);
            assertThat(r.location().orElse("")).doesNotContain(value);
        });
    }

    @Test
    void loginAndAccountResponsesWhenTheyCarrySessionsThenCacheControlNoStore() {
        String email = email("nostore");
        server.registerVerified(email, PASSWORD);
        var browser = new Browser(server);
        var form = browser.get("/login");
        var login = browser.post("/login", form.csrfField(), fields("email", email, "password", PASSWORD));
        var apiLogin = server.client().postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");

        for (TestHttp.Response r : List.of(form, login, apiLogin, browser.get("/account"), browser.get("/api/v1/me"),
                browser.get("/api/v1/me/sessions"))) {
            assertThat(r.header("Cache-Control")).as(r.toString()).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        }
    }
}
