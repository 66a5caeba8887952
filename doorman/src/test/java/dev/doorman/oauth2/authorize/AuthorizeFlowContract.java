package dev.doorman.oauth2.authorize;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.doorman.TestServer;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditType;
import dev.doorman.oauth2.code.CodeStore;
import dev.doorman.support.Secrets;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.doorman.oauth2.authorize.OAuthHarness.authorize;
import static dev.doorman.oauth2.authorize.OAuthHarness.params;
import static dev.doorman.oauth2.authorize.OAuthHarness.query;
import static dev.doorman.oauth2.authorize.OAuthHarness.single;
import static org.assertj.core.api.Assertions.assertThat;

/** The authorization endpoint over real HTTP (OA-01..05, OA-08..12, OI-01, OI-02), on the store the subclass names. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuthorizeFlowContract {
    TestServer server;
    OAuthHarness oauth;
    String issuer;

    abstract TestServer.Store store();

    @BeforeAll
    void start() {
        server = TestServer.start(store());
        oauth = new OAuthHarness(server);
        issuer = server.client().get("/.well-known/openid-configuration").json().get("issuer").asText();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void issuesACodeWithStateVerbatimAndIss() {
        ClientID client = oauth.client(false);
        TestHttp http = oauth.loggedIn();
        String state = "ünï©ødé ☃ &=+/?#%20;'\"<>";
        var p = params(client);
        p.put("state", state);
        p.put("nonce", "n-0S6_WzA2Mj");
        var response = http.get(authorize(p));
        assertThat(response.status()).isEqualTo(303);
        String location = response.location().orElseThrow();
        assertThat(location).startsWith(OAuthHarness.REDIRECT + "?");
        assertThat(single(location, "state")).isEqualTo(state);
        assertThat(single(location, "iss")).isEqualTo(issuer).isEqualTo(server.baseUrl);
        assertThat(response.header("Referrer-Policy")).contains("no-referrer");
        assertThat(response.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.header("Content-Security-Policy").orElseThrow()).contains("form-action 'self' https://app.example;");

        String code = single(location, "code");
        assertThat(code).hasSizeGreaterThanOrEqualTo(43);
        var redemption = server.doorman.codes().consume(Secrets.hash(code)).orElseThrow();
        var grant = ((CodeStore.Redemption.Redeemed) redemption).grant();
        assertThat(grant.client()).isEqualTo(client);
        assertThat(grant.redirectUri()).isEqualTo(URI.create(OAuthHarness.REDIRECT));
        assertThat(grant.challenge().getValue()).isEqualTo(OAuthHarness.CHALLENGE);
        assertThat(grant.scope()).isEqualTo(new Scope("openid", "profile"));
        assertThat(grant.nonce()).contains(new Nonce("n-0S6_WzA2Mj"));
        assertThat(grant.amr()).containsExactly("pwd");
        assertThat(grant.authTime()).isEqualTo(server.clock.instant());
        assertThat(grant.expiresAt()).isEqualTo(server.clock.instant().plus(server.doorman.settings().oauth2().codeTtl()));
        assertThat(grant.grantId()).isNotBlank();
        assertThat(server.doorman.codes().consume(Secrets.hash(code))).get().isInstanceOf(CodeStore.Redemption.Replayed.class);
    }

    @Test
    void aRequestWithoutNonceStillGetsACode() {
        ClientID client = oauth.client(false);
        var response = oauth.loggedIn().get(authorize(params(client)));
        String code = single(response.location().orElseThrow(), "code");
        var grant = ((CodeStore.Redemption.Redeemed) server.doorman.codes().consume(Secrets.hash(code)).orElseThrow()).grant();
        assertThat(grant.nonce()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example/cb/", "https://app.example/CB", "https://app.example/cb?x=1", "https://app.example/cb/../evil",
            "https://user@app.example/cb", "https://evil.app.example/cb", "http://app.example/cb", "https://app.example%2Fcb",
            "https://app.example/cb%2F", "https://app.example:8443/cb", "https://app.example/cb#frag", "https://APP.example/cb", "/cb", ""})
    void refusesEveryRedirectVariantWithoutRedirecting(String redirect) {
        ClientID client = oauth.client(false);
        var p = params(client);
        p.put("redirect_uri", redirect);
        var response = oauth.loggedIn().get(authorize(p));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.location()).isEmpty();
        assertThat(response.header("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(response.body()).doesNotContain("code=");
    }

    @Test
    void missingRedirectUriIsRefusedWithoutRedirecting() {
        var p = params(oauth.client(false));
        p.remove("redirect_uri");
        var response = oauth.loggedIn().get(authorize(p));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.location()).isEmpty();
    }

    @Test
    void loopbackRedirectMayUseAnyPort() {
        var p = params(oauth.client(false));
        p.put("redirect_uri", "http://127.0.0.1:54321/cb");
        var response = oauth.loggedIn().get(authorize(p));
        assertThat(response.status()).isEqualTo(303);
        assertThat(response.location().orElseThrow()).startsWith("http://127.0.0.1:54321/cb?code=");
    }

    @Test
    void unknownOrMissingClientGetsAnErrorPageNotARedirect() {
        var p = params(new ClientID("no-such-client"));
        var http = oauth.loggedIn();
        var unknown = http.get(authorize(p));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.location()).isEmpty();
        p.remove("client_id");
        var missing = http.get(authorize(p));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.location()).isEmpty();
        // Audited, the attacker-chosen client_id only as a hash.
        var refused = server.doorman.auditTrail().forUser(userOf(http), 10).stream()
                .filter(e -> e.type() == AuditType.AUTHORIZATION_REFUSED).toList();
        assertThat(refused).extracting(e -> e.reason().orElseThrow()).containsExactly("client_id_missing_or_repeated");
        var unknownClient = server.doorman.auditTrail().recent(1000).stream()
                .filter(e -> e.type() == AuditType.AUTHORIZATION_REFUSED && e.reason().equals(Optional.of("unknown_client"))).toList();
        assertThat(unknownClient).isNotEmpty().allSatisfy(e ->
                assertThat(e.subjectHint().orElseThrow()).doesNotContain("no-such-client").hasSize(16));
    }

    @Test
    void duplicateClientIdIsA400() {
        ClientID client = oauth.client(false);
        var response = oauth.loggedIn().get(authorize(params(client)) + "&client_id=" + client.getValue());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.location()).isEmpty();
    }

    @Test
    void duplicateScopeIsInvalidRequest() {
        ClientID client = oauth.client(false);
        var response = oauth.loggedIn().get(authorize(params(client)) + "&scope=openid");
        assertError(response, "invalid_request", "xyz");
    }

    @Test
    void responseTypeTokenIsUnsupported() {
        var p = params(oauth.client(false));
        p.put("response_type", "token");
        assertError(oauth.loggedIn().get(authorize(p)), "unsupported_response_type", "xyz");
    }

    @Test
    void pkceIsRequiredAndS256Only() {
        ClientID client = oauth.client(false);
        var http = oauth.loggedIn();
        var missing = params(client);
        missing.remove("code_challenge");
        missing.remove("code_challenge_method");
        assertError(http.get(authorize(missing)), "invalid_request", "xyz");
        var plain = params(client);
        plain.put("code_challenge_method", "plain");
        assertError(http.get(authorize(plain)), "invalid_request", "xyz");
        var noMethod = params(client);
        noMethod.remove("code_challenge_method");
        assertError(http.get(authorize(noMethod)), "invalid_request", "xyz");
    }

    @Test
    void scopeBeyondTheClientsIsInvalidScope() {
        var p = params(oauth.client(false));
        p.put("scope", "openid admin");
        assertError(oauth.loggedIn().get(authorize(p)), "invalid_scope", "xyz");
    }

    @Test
    void notLoggedInGoesThroughTheLoginAndBack() {
        ClientID client = oauth.client(false);
        String email = oauth.newUser();
        var http = server.client();
        var p = params(client);
        p.put("login_hint", email);
        var first = http.get(authorize(p));
        assertThat(first.status()).isEqualTo(303);
        String login = first.location().orElseThrow();
        assertThat(login).startsWith("/login?returnTo=");
        var page = http.get(login);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("value=\"" + email + "\"");
        var posted = http.postForm("/login", Map.of("csrf", page.csrfField(), "email", email, "password", TestServer.PASSWORD,
                "returnTo", single(login, "returnTo")));
        assertThat(posted.status()).isEqualTo(303);
        String back = posted.location().orElseThrow();
        assertThat(back).startsWith("/oauth2/authorize?");
        var done = http.get(back);
        assertThat(done.status()).isEqualTo(303);
        assertThat(single(done.location().orElseThrow(), "code")).isNotBlank();
        assertThat(single(done.location().orElseThrow(), "state")).isEqualTo("xyz");
        // The stored request is single use.
        assertThat(http.get(back).status()).isEqualTo(400);
    }

    @Test
    void promptNoneWithoutSessionIsLoginRequired() {
        var p = params(oauth.client(false));
        p.put("prompt", "none");
        assertError(server.client().get(authorize(p)), "login_required", "xyz");
    }

    @Test
    void promptNoneNeedingConsentIsConsentRequired() {
        var p = params(oauth.client(true));
        p.put("prompt", "none");
        var http = oauth.loggedIn();
        assertError(http.get(authorize(p)), "consent_required", "xyz");
        assertThat(server.doorman.auditTrail().forUser(userOf(http), 5)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(AuditType.AUTHORIZATION_REFUSED);
            assertThat(e.reason()).contains("consent_required");
        });
    }

    @Test
    void promptLoginForcesTheLoginPage() {
        var p = params(oauth.client(false));
        p.put("prompt", "login");
        var response = oauth.loggedIn().get(authorize(p));
        assertThat(response.status()).isEqualTo(303);
        assertThat(response.location().orElseThrow()).startsWith("/login?returnTo=");
    }

    @Test
    void maxAgeExceededForcesTheLoginPage() {
        ClientID client = oauth.client(false);
        var http = oauth.loggedIn();
        server.clock.advance(Duration.ofSeconds(120));
        var p = params(client);
        p.put("max_age", "60");
        var response = http.get(authorize(p));
        assertThat(response.location().orElseThrow()).startsWith("/login?returnTo=");
        p.put("max_age", "3600");
        assertThat(http.get(authorize(p)).location().orElseThrow()).startsWith(OAuthHarness.REDIRECT + "?code=");
    }

    @Test
    void consentApprovedIsRememberedAndDeniedIsAccessDenied() {
        ClientID client = oauth.client(true);
        var http = oauth.loggedIn();
        var first = http.get(authorize(params(client)));
        assertThat(first.status()).isEqualTo(303);
        String consent = first.location().orElseThrow();
        assertThat(consent).startsWith("/oauth2/consent?");
        var page = http.get(consent);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Notes app").contains("See your name");
        assertThat(page.header("Referrer-Policy")).contains("no-referrer");
        assertThat(page.header("Content-Security-Policy").orElseThrow()).contains("form-action 'self' https://app.example;");
        String id = hidden(page.body(), "id");
        var approved = http.postForm("/oauth2/consent", Map.of("csrf", page.csrfField(), "client_id", client.getValue(), "id", id,
                "decision", "approve"));
        assertThat(approved.status()).isEqualTo(303);
        assertThat(single(approved.location().orElseThrow(), "code")).isNotBlank();
        assertThat(single(approved.location().orElseThrow(), "state")).isEqualTo("xyz");
        // The decision cannot be posted twice.
        assertThat(http.postForm("/oauth2/consent", Map.of("csrf", page.csrfField(), "client_id", client.getValue(), "id", id,
                "decision", "approve")).status()).isEqualTo(400);
        // Remembered: no consent page the next time, even with prompt=none.
        var p = params(client);
        p.put("prompt", "none");
        assertThat(http.get(authorize(p)).location().orElseThrow()).startsWith(OAuthHarness.REDIRECT + "?code=");
        // A wider scope asks again; denying it is access_denied.
        p.remove("prompt");
        p.put("scope", "openid profile email");
        var again = http.get(authorize(p));
        var page2 = http.get(again.location().orElseThrow());
        var denied = http.postForm("/oauth2/consent", Map.of("csrf", page2.csrfField(), "client_id", client.getValue(),
                "id", hidden(page2.body(), "id"), "decision", "deny"));
        assertError(denied, "access_denied", "xyz");
        assertThat(server.doorman.consents().find(userOf(http), client)).contains(new Scope("openid", "profile"));
        // Each decision is audited with the user and the client, newest first.
        var events = server.doorman.auditTrail().forUser(userOf(http), 20).stream()
                .filter(e -> e.subjectHint().equals(Optional.of(client.getValue()))).toList();
        assertThat(events).extracting(AuditEvent::type).containsExactlyInAnyOrder(AuditType.CONSENT_GRANTED, AuditType.AUTHORIZATION_GRANTED,
                AuditType.AUTHORIZATION_GRANTED, AuditType.CONSENT_DENIED);
        assertThat(events).filteredOn(e -> e.type() == AuditType.CONSENT_GRANTED).extracting(e -> e.reason().orElseThrow())
                .containsExactly("openid profile");
    }

    @Test
    void consentPageIsBoundToTheSession() {
        ClientID client = oauth.client(true);
        var http = oauth.loggedIn();
        String consent = http.get(authorize(params(client))).location().orElseThrow();
        assertThat(oauth.loggedIn().get(consent).status()).isEqualTo(400);
        assertThat(http.get(consent).status()).isEqualTo(200);
    }

    private dev.doorman.account.UserId userOf(TestHttp http) {
        return dev.doorman.account.UserId.parse(http.get("/api/v1/me").json().get("id").asText());
    }

    private static String hidden(String body, String name) {
        var m = java.util.regex.Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(body);
        assertThat(m.find()).as("hidden " + name).isTrue();
        return m.group(1);
    }

    void assertError(TestHttp.Response response, String error, String state) {
        assertThat(response.status()).as(response.toString()).isEqualTo(303);
        String location = response.location().orElseThrow();
        assertThat(location).startsWith(OAuthHarness.REDIRECT + "?");
        assertThat(single(location, "error")).isEqualTo(error);
        assertThat(single(location, "state")).isEqualTo(state);
        assertThat(single(location, "iss")).isEqualTo(issuer);
        assertThat(query(location)).doesNotContainKey("code");
        Optional.ofNullable(query(location).get("error_description")).map(List::getFirst)
                .ifPresent(d -> assertThat(d).doesNotContain("\r", "\n", "<", ">"));
    }
}
