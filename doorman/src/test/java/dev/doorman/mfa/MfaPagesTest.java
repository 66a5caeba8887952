package dev.doorman.mfa;

import dev.doorman.TestServer;
import dev.doorman.account.RoleStore;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The server-rendered pages of second factors, driven as a browser without JavaScript would: forms, redirects, cookies. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MfaPagesTest {
    private static final Pattern SECRET = Pattern.compile("<code class=\"secret\"[^>]*>([A-Z2-7]+)</code>");
    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start(TestServer.Store.SQLITE, s -> s.withMfa(s.mfa().withRequiredForRoles(Set.of("admin"))));
        server.doorman.roles().save(new RoleStore.Role("admin", Optional.of("operators")));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private TestHttp.Response formLogin(TestHttp http, String email) {
        String csrf = http.get("/login").csrfField();
        return http.postForm("/login", fields("csrf", csrf, "email", email, "password", TestServer.PASSWORD, "returnTo", "/account"));
    }

    private static Map<String, String> fields(String... kv) {
        var map = new LinkedHashMap<String, String>();
        for (int i = 0; i < kv.length; i += 2) map.put(kv[i], kv[i + 1]);
        return map;
    }

    private static String secretIn(String html) {
        var m = SECRET.matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group(1);
    }

    @Test
    void enrollWhenDoneThroughTheAccountPagesThenQrCodeAsInlineSvgConfirmationAndRecoveryCodesShownOnce() {
        String email = "pages-enroll@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        TestHttp http = server.client();
        assertThat(formLogin(http, email).location()).hasValue("/account");
        var settings = http.get(MfaPaths.SETTINGS);
        assertThat(settings.status()).isEqualTo(200);
        assertThat(settings.body()).contains("Set up an authenticator app");
        var setup = http.postForm(MfaPaths.TOTP_START, fields("csrf", settings.csrfField()));
        assertThat(setup.status()).isEqualTo(200);
        assertThat(setup.body()).contains("<svg").contains("otpauth://totp/");
        assertThat(setup.header("Content-Security-Policy").orElseThrow()).doesNotContain("data:").contains("img-src 'self'");
        String secret = secretIn(setup.body());
        var wrong = http.postForm(MfaPaths.TOTP_CONFIRM, fields("csrf", setup.csrfField(), "code", "12345x"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(secretIn(wrong.body())).isEqualTo(secret);
        var confirmed = http.postForm(MfaPaths.TOTP_CONFIRM, fields("csrf", wrong.csrfField(), "code", TestTotp.code(secret, server.clock.instant())));
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.body().split("<li><code>", -1)).hasSize(11);
        var done = http.get(MfaPaths.SETTINGS + "?done=totp");
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body()).contains("Your authenticator app is set up.").contains("An authenticator app is set up.")
                .contains("10 unused recovery codes");
        // Setting it up proved nothing for this session: the next sensitive change asks for a (later) code from it.
        var regenerate = http.postForm(MfaPaths.RECOVERY_CODES, fields("csrf", done.csrfField()));
        assertThat(regenerate.location()).hasValue(MfaPaths.STEP_UP + "?returnTo=%2Faccount%2Fmfa");
        var stepUp = http.get(regenerate.location().orElseThrow());
        assertThat(stepUp.body()).contains("Code from your authenticator app");
        server.clock.advance(Duration.ofSeconds(30));
        var back = http.postForm(MfaPaths.STEP_UP, fields("csrf", stepUp.csrfField(), "code", TestTotp.code(secret, server.clock.instant()),
                "returnTo", MfaPaths.SETTINGS));
        assertThat(back.location()).hasValue(MfaPaths.SETTINGS);
        var regenerated = http.postForm(MfaPaths.RECOVERY_CODES, fields("csrf", http.get(MfaPaths.SETTINGS).csrfField()));
        assertThat(regenerated.status()).isEqualTo(200);
        assertThat(regenerated.body()).contains("Your recovery codes");
    }

    @Test
    void enrollWhenTheLoginGrewOlderThanTenMinutesBeforeTheConfirmationThenSentToProveItAgainAndNoFactor() {
        String email = "pages-enroll-stale@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        TestHttp http = server.client();
        formLogin(http, email);
        var setup = http.postForm(MfaPaths.TOTP_START, fields("csrf", http.get(MfaPaths.SETTINGS).csrfField()));
        String secret = secretIn(setup.body());
        server.clock.advance(Duration.ofMinutes(11));
        var refused = http.postForm(MfaPaths.TOTP_CONFIRM, fields("csrf", setup.csrfField(), "code", TestTotp.code(secret, server.clock.instant())));
        assertThat(refused.location()).hasValue(MfaPaths.STEP_UP + "?returnTo=%2Faccount%2Fmfa");
        assertThat(http.get(MfaPaths.SETTINGS).body()).contains("Set up an authenticator app");
    }

    @Test
    void loginWhenTheAccountHasTotpThenThePasswordPageLeadsToTheChallengeAndNothingElseWorksBeforeIt() {
        String email = "pages-login@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        TestHttp owner = server.apiLogin(email, TestServer.PASSWORD);
        String secret = owner.postJson(MfaPaths.API_TOTP, "{}").json().get("secret").asText();
        owner.postJson(MfaPaths.API_TOTP_CONFIRM, "{\"code\":\"" + TestTotp.code(secret, server.clock.instant()) + "\"}");
        server.clock.advance(Duration.ofSeconds(30));

        TestHttp http = server.client();
        assertThat(formLogin(http, email).location()).hasValue(MfaPaths.CHALLENGE);
        assertThat(http.cookies()).doesNotContainKey(server.sessionCookieName());
        assertThat(http.get("/account").location()).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
        assertThat(http.get(MfaPaths.SETTINGS).location()).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
        assertThat(http.get("/api/v1/me").status()).isEqualTo(401);
        var authorize = http.get("/oauth2/authorize?client_id=nobody&response_type=code");
        assertThat(authorize.status()).isIn(303, 400);
        assertThat(http.cookies()).doesNotContainKey(server.sessionCookieName());

        var page = http.get(MfaPaths.CHALLENGE);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Code from your authenticator app");
        var wrong = http.postForm(MfaPaths.CHALLENGE, fields("csrf", page.csrfField(), "code", "000000".equals(TestTotp.code(secret,
                server.clock.instant())) ? "111111" : "000000"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("attempts left");
        var done = http.postForm(MfaPaths.CHALLENGE, fields("csrf", wrong.csrfField(), "code", TestTotp.code(secret, server.clock.instant())));
        assertThat(done.status()).isEqualTo(303);
        assertThat(done.location()).hasValue("/account");
        assertThat(http.get("/account").status()).isEqualTo(200);
    }

    @Test
    void loginWhenARoleRequiresMfaAndTheUserHasNoneThenTheLoginEnrollsThemBeforeAnySession() {
        String email = "pages-admin@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        var user = server.doorman.users().findByEmail(dev.doorman.account.Email.parse(email).orElseThrow()).orElseThrow();
        server.doorman.roles().setRoles(user.id(), Set.of("admin"));

        var api = server.client().postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");
        assertThat(api.status()).isEqualTo(202);
        assertThat(api.json().get("enrollmentRequired").asBoolean()).isTrue();

        TestHttp http = server.client();
        assertThat(formLogin(http, email).location()).hasValue(MfaPaths.CHALLENGE);
        assertThat(http.get("/account").location()).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
        var page = http.get(MfaPaths.CHALLENGE);
        assertThat(page.body()).contains("must use a second factor").contains("<svg");
        String secret = secretIn(page.body());
        var done = http.postForm(MfaPaths.CHALLENGE, fields("csrf", page.csrfField(), "code", TestTotp.code(secret, server.clock.instant())));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("Your recovery codes");
        assertThat(http.get("/account").status()).isEqualTo(200);
        assertThat(server.doorman.users().findByEmail(user.email())).isPresent();
        server.clock.advance(Duration.ofSeconds(30));
        TestHttp next = server.client();
        assertThat(formLogin(next, email).location()).hasValue(MfaPaths.CHALLENGE);
        assertThat(next.get(MfaPaths.CHALLENGE).body()).doesNotContain("<svg").contains("Code from your authenticator app");
    }

    @Test
    void stepUpPageWhenReturnToIsAnotherSiteThenTheUserLandsOnTheAccountPageInstead() {
        String email = "pages-stepup@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        TestHttp http = server.client();
        formLogin(http, email);
        var page = http.get(MfaPaths.STEP_UP + "?returnTo=https%3A%2F%2Fevil.example%2F");
        assertThat(page.body()).contains("value=\"/account\"").contains("Password");
        var done = http.postForm(MfaPaths.STEP_UP, fields("csrf", page.csrfField(), "password", TestServer.PASSWORD, "returnTo", "//evil.example/x"));
        assertThat(done.status()).isEqualTo(303);
        assertThat(done.location()).hasValue("/account");
    }
}
