package dev.doorman.examples.logindemo;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import dev.doorman.TestServer;
import dev.doorman.client.ClientRegistration;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login demo against a real Doorman over HTTP, as a browser drives it: the whole sign-in, what the browser gets
 * to hold, and what an attacker tries against the callback and the logout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginDemoTest {
    private static final AtomicInteger USERS = new AtomicInteger();

    private TestServer doorman;
    private Javalin demo;
    private URI demoUrl;

    @BeforeAll
    void start() throws Exception {
        doorman = TestServer.start(TestServer.Store.SQLITE);
        doorman.clock.set(Instant.now());   // the demo validates ID tokens against the real clock
        int port = freePort();
        demoUrl = URI.create("http://127.0.0.1:" + port);
        var client = doorman.createClient(ClientRegistration.confidential("Login demo").id("login-demo")
                .redirectUri(demoUrl + "/callback").redirectUri(demoUrl + "/logged-out")
                .scope("openid").scope("profile").scope("email").grantType("authorization_code").grantType("refresh_token").build());
        var settings = new DemoSettings(new Issuer(doorman.baseUrl), new ClientID("login-demo"), client.secret().orElseThrow(), demoUrl,
                port, JWSAlgorithm.RS256);
        demo = LoginDemo.start(settings, "127.0.0.1");
    }

    @AfterAll
    void stop() {
        if (demo != null) demo.stop();
        if (doorman != null) doorman.close();
    }

    private String newUser() {
        String email = "demo" + USERS.incrementAndGet() + "-" + System.nanoTime() + "@example.org";
        doorman.createVerifiedUser(email, "Ada Lovelace");
        return email;
    }

    private URI demo(String path) {
        return demoUrl.resolve(path);
    }

    /** From the demo's "sign in" to Doorman's login and consent pages, up to the redirect back to the callback. */
    private URI throughDoorman(MiniBrowser browser, String email) {
        var toDoorman = browser.get(demo("/login"));
        assertThat(toDoorman.status()).isEqualTo(303);
        var authorize = toDoorman.location().orElseThrow();
        assertThat(authorize.toString()).startsWith(doorman.baseUrl + "/oauth2/authorize?");
        var params = MiniBrowser.query(authorize);
        assertThat(params).containsEntry("response_type", "code").containsEntry("code_challenge_method", "S256")
                .containsKeys("state", "nonce", "code_challenge").doesNotContainKey("code_verifier");
        var loginPage = browser.follow(browser.get(authorize));
        assertThat(loginPage.status()).isEqualTo(200);
        var loggedIn = browser.postForm(URI.create(doorman.baseUrl + "/login"), Map.of("csrf", loginPage.hidden("csrf"),
                "returnTo", loginPage.hidden("returnTo"), "email", email, "password", TestServer.PASSWORD), Map.of());
        assertThat(loggedIn.status()).isEqualTo(303);
        var consent = browser.follow(browser.get(loggedIn.location().orElseThrow()));
        assertThat(consent.body()).contains("Login demo");
        var approved = browser.postForm(URI.create(doorman.baseUrl + "/oauth2/consent"), Map.of("csrf", consent.hidden("csrf"),
                "client_id", consent.hidden("client_id"), "id", consent.hidden("id"), "decision", "approve"), Map.of());
        assertThat(approved.status()).isEqualTo(303);
        URI callback = approved.location().orElseThrow();
        assertThat(callback.toString()).startsWith(demoUrl + "/callback?");
        return callback;
    }

    private MiniBrowser signedIn(String email) {
        var browser = new MiniBrowser();
        var back = browser.get(throughDoorman(browser, email));
        assertThat(back.status()).as(back.body()).isEqualTo(303);
        assertThat(back.location()).contains(demo("/"));
        return browser;
    }

    @Test
    void signInShowsTheProfileFromUserinfoAndTheBrowserHoldsOnlyTheAppsCookie() {
        String email = newUser();
        var browser = signedIn(email);

        var home = browser.get(demo("/"));
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("<dd id=\"email\">" + email + "</dd>").contains("<dd id=\"name\">Ada Lovelace</dd>");
        // Backend-for-frontend: the demo's only cookie is its opaque session id; no token ever reaches the browser.
        String authority = demoUrl.getAuthority();
        assertThat(browser.cookie(authority, LoginDemo.SESSION_COOKIE)).get().asString().matches("[A-Za-z0-9_-]{43}");
        assertThat(browser.cookie(authority, LoginDemo.LOGIN_COOKIE)).isEmpty();
        assertThat(home.body()).doesNotContain("eyJ");
    }

    @Test
    void callbackWithAnotherStateIsRefusedAndSignsNobodyIn() {
        String email = newUser();
        var browser = new MiniBrowser();
        URI callback = throughDoorman(browser, email);
        String forged = callback.toString().replaceAll("state=[^&]+", "state=forged");
        var refused = browser.get(URI.create(forged));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(browser.cookie(demoUrl.getAuthority(), LoginDemo.SESSION_COOKIE)).isEmpty();
        // The login in progress died with the failed attempt: the real callback is now refused too.
        assertThat(browser.get(callback).status()).isEqualTo(400);
        assertThat(browser.get(demo("/")).body()).contains("Sign in with Doorman");
    }

    @Test
    void callbackReplayedOrCarriedToAnotherBrowserIsRefused() {
        String email = newUser();
        var victim = new MiniBrowser();
        URI callback = throughDoorman(victim, email);
        // An attacker who got the callback URL (code and state) but not the victim's login cookie gets nothing.
        var attacker = new MiniBrowser();
        assertThat(attacker.get(callback).status()).isEqualTo(400);
        assertThat(attacker.cookie(demoUrl.getAuthority(), LoginDemo.SESSION_COOKIE)).isEmpty();
        // The victim completes once; replaying the same callback afterwards is refused.
        assertThat(victim.get(callback).status()).isEqualTo(303);
        var session = victim.cookie(demoUrl.getAuthority(), LoginDemo.SESSION_COOKIE).orElseThrow();
        assertThat(victim.get(callback).status()).isEqualTo(400);
        assertThat(victim.cookie(demoUrl.getAuthority(), LoginDemo.SESSION_COOKIE)).contains(session);
    }

    @Test
    void callbackWithoutIssOrFromAnotherIssuerIsRefused() {
        String email = newUser();
        var browser = new MiniBrowser();
        URI callback = throughDoorman(browser, email);
        String mixedUp = callback.toString().replaceAll("iss=[^&]+", "iss=https%3A%2F%2Fevil.example");
        assertThat(browser.get(URI.create(mixedUp)).status()).isEqualTo(400);
        assertThat(browser.cookie(demoUrl.getAuthority(), LoginDemo.SESSION_COOKIE)).isEmpty();
    }

    @Test
    void deniedConsentComesBackAsAnErrorAndSignsNobodyIn() {
        String email = newUser();
        var browser = new MiniBrowser();
        var authorize = browser.get(demo("/login")).location().orElseThrow();
        var loginPage = browser.follow(browser.get(authorize));
        var loggedIn = browser.postForm(URI.create(doorman.baseUrl + "/login"), Map.of("csrf", loginPage.hidden("csrf"),
                "returnTo", loginPage.hidden("returnTo"), "email", email, "password", TestServer.PASSWORD), Map.of());
        var consent = browser.follow(browser.get(loggedIn.location().orElseThrow()));
        var denied = browser.postForm(URI.create(doorman.baseUrl + "/oauth2/consent"), Map.of("csrf", consent.hidden("csrf"),
                "client_id", consent.hidden("client_id"), "id", consent.hidden("id"), "decision", "deny"), Map.of());
        var page = browser.get(denied.location().orElseThrow());
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("access_denied");
        assertThat(browser.cookie(demoUrl.getAuthority(), LoginDemo.SESSION_COOKIE)).isEmpty();
    }

    @Test
    void logoutNeedsTheFormsTokenAndASameOriginPostThenEndsBothSessionsAndRevokesTheTokens() {
        String email = newUser();
        var browser = signedIn(email);
        var home = browser.get(demo("/"));
        String csrf = home.hidden("csrf");

        assertThat(browser.postForm(demo("/logout"), Map.of(), Map.of()).status()).as("no token").isEqualTo(403);
        assertThat(browser.postForm(demo("/logout"), Map.of("csrf", "wrong"), Map.of()).status()).as("wrong token").isEqualTo(403);
        assertThat(browser.postForm(demo("/logout"), Map.of("csrf", csrf), Map.of("Origin", "https://evil.example")).status())
                .as("cross-site, even with the token").isEqualTo(403);
        assertThat(browser.postForm(demo("/logout"), Map.of("csrf", csrf), Map.of("Sec-Fetch-Site", "cross-site")).status())
                .as("cross-site by fetch metadata").isEqualTo(403);
        assertThat(browser.get(demo("/")).body()).as("still signed in").contains(email);
        int revokedBefore = doorman.doorman.revocationList().current().size();

        var out = browser.postForm(demo("/logout"), Map.of("csrf", csrf), Map.of("Origin", demoUrl.toString().replaceAll("/$", "")));
        assertThat(out.status()).isEqualTo(303);
        URI endSession = out.location().orElseThrow();
        assertThat(endSession.toString()).startsWith(doorman.baseUrl + "/oauth2/logout?");
        assertThat(MiniBrowser.query(endSession)).containsKeys("id_token_hint", "state")
                .containsEntry("post_logout_redirect_uri", demoUrl + "/logged-out");
        // The refresh token was revoked at Doorman, taking its access token along.
        assertThat(doorman.doorman.revocationList().current().size()).isGreaterThan(revokedBefore);
        var loggedOut = browser.get(endSession);
        assertThat(loggedOut.status()).isEqualTo(303);
        assertThat(loggedOut.location().orElseThrow().toString()).startsWith(demoUrl + "/logged-out");
        assertThat(browser.get(loggedOut.location().orElseThrow()).body()).contains("You are signed out");
        assertThat(browser.get(demo("/")).body()).contains("Sign in with Doorman");
        // Doorman's own session ended too: signing in again asks for the password.
        var again = browser.follow(browser.get(browser.get(demo("/login")).location().orElseThrow()));
        assertThat(again.url().getPath()).isEqualTo("/login");
    }

    @Test
    void pagesCarryHeadersThatKeepTheCodeAndThePageToThemselves() {
        var page = new MiniBrowser().get(demo("/"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(LoginDemo.escape("<script>\"&'")).isEqualTo("&lt;script&gt;&quot;&amp;&#39;");
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
