package dev.doorman.oauth2.authorize;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.TestServer;
import dev.doorman.client.ClientRegistration;
import dev.doorman.client.CreateClientOutcome;
import dev.doorman.support.ClientInfo;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static dev.doorman.oauth2.authorize.OAuthHarness.authorize;
import static dev.doorman.oauth2.authorize.OAuthHarness.encode;
import static dev.doorman.oauth2.authorize.OAuthHarness.params;
import static dev.doorman.oauth2.authorize.OAuthHarness.single;
import static org.assertj.core.api.Assertions.assertThat;

/** Discovery (OA-23), PAR (RFC 9126) and RP-initiated logout (SE-06) over real HTTP on SQLite. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontChannelSqliteTest {
    TestServer server;
    OAuthHarness oauth;

    @BeforeAll
    void start() {
        server = TestServer.start(TestServer.Store.SQLITE);
        oauth = new OAuthHarness(server);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void discoveryDocumentsAgreeAndIgnoreHost() {
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            for (boolean evilHost : List.of(false, true)) {
                var request = server.client().request(path).GET();
                if (evilHost) request.header("X-Forwarded-Host", "evil.example");
                var response = evilHost ? rawWithHost(path) : server.client().send(request);
                assertThat(response.status()).isEqualTo(200);
                var json = response.json();
                assertThat(json.get("issuer").asText()).isEqualTo(server.baseUrl);
                assertThat(json.get("authorization_endpoint").asText()).isEqualTo(server.baseUrl + "/oauth2/authorize");
                assertThat(json.get("pushed_authorization_request_endpoint").asText()).isEqualTo(server.baseUrl + "/oauth2/par");
                assertThat(json.get("end_session_endpoint").asText()).isEqualTo(server.baseUrl + "/oauth2/logout");
                assertThat(json.get("response_types_supported").toString()).isEqualTo("[\"code\"]");
                assertThat(json.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
                assertThat(json.get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
                assertThat(response.body()).doesNotContain("evil.example");
            }
        }
    }

    /** Sends {@code Host: evil.example} (the JDK client forbids setting Host, so a raw socket does it). */
    private TestHttp.Response rawWithHost(String path) {
        try (var socket = new java.net.Socket("127.0.0.1", java.net.URI.create(server.baseUrl).getPort())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(9, 12));
            String body = all.substring(all.indexOf("\r\n\r\n") + 4);
            if (all.toLowerCase().contains("transfer-encoding: chunked")) body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("}") + 1);
            return new TestHttp.Response(status, body, java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void parRoundTripIsSingleUseAndBoundToTheClient() {
        ClientID client = oauth.client(false);
        var pushed = par(null, params(client));
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        String requestUri = pushed.json().get("request_uri").asText();
        assertThat(requestUri).startsWith("urn:ietf:params:oauth:request_uri:");
        assertThat(pushed.json().get("expires_in").asLong()).isEqualTo(60);
        ClientID other = oauth.client(false);
        var http = oauth.loggedIn();
        assertThat(http.get("/oauth2/authorize?client_id=" + other.getValue() + "&request_uri=" + encode(requestUri)).status()).isEqualTo(400);
        var used = http.get("/oauth2/authorize?client_id=" + client.getValue() + "&request_uri=" + encode(requestUri));
        assertThat(used.status()).isEqualTo(303);
        assertThat(single(used.location().orElseThrow(), "code")).isNotBlank();
        assertThat(single(used.location().orElseThrow(), "state")).isEqualTo("xyz");
        var again = http.get("/oauth2/authorize?client_id=" + client.getValue() + "&request_uri=" + encode(requestUri));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.location()).isEmpty();
    }

    @Test
    void parExpiresAfterSixtySeconds() {
        ClientID client = oauth.client(false);
        String requestUri = par(null, params(client)).json().get("request_uri").asText();
        server.clock.advance(Duration.ofSeconds(61));
        assertThat(oauth.loggedIn().get("/oauth2/authorize?client_id=" + client.getValue() + "&request_uri=" + encode(requestUri)).status())
                .isEqualTo(400);
    }

    @Test
    void parValidatesLikeAuthorize() {
        ClientID client = oauth.client(false);
        var badRedirect = params(client);
        badRedirect.put("redirect_uri", "https://evil.example/cb");
        var refused = par(null, badRedirect);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo("invalid_request");
        var plain = params(client);
        plain.put("code_challenge_method", "plain");
        assertThat(par(null, plain).json().get("error").asText()).isEqualTo("invalid_request");
        var scope = params(client);
        scope.put("scope", "openid admin");
        assertThat(par(null, scope).json().get("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void parAuthenticatesConfidentialClients() {
        var created = (CreateClientOutcome.Created) server.doorman.clientService().create(ClientRegistration.confidential("Web app")
                .redirectUri(OAuthHarness.REDIRECT).scope("openid").build(), ClientInfo.unknown());
        ClientID client = created.client().id();
        var p = params(client);
        p.put("scope", "openid");
        String good = Base64.getEncoder().encodeToString((client.getValue() + ":" + created.secret().orElseThrow().getValue()).getBytes(StandardCharsets.UTF_8));
        String bad = Base64.getEncoder().encodeToString((client.getValue() + ":wrong").getBytes(StandardCharsets.UTF_8));
        assertThat(par("Basic " + bad, p).status()).isEqualTo(401);
        assertThat(par(null, p).status()).isEqualTo(401);
        assertThat(par("Basic " + good, p).status()).isEqualTo(201);
    }

    @Test
    void logoutWithAValidHintEndsTheSessionAndRedirectsWithState() {
        ClientID client = oauth.client(false);
        var http = oauth.loggedIn();
        String sub = http.get("/api/v1/me").json().get("id").asText();
        String hint = idToken(sub, client, JOSEObjectType.JWT);
        var response = http.get("/oauth2/logout?id_token_hint=" + hint + "&post_logout_redirect_uri=" + encode(OAuthHarness.REDIRECT)
                + "&state=" + encode("s ü&"));
        assertThat(response.status()).isEqualTo(303);
        assertThat(response.location().orElseThrow()).startsWith(OAuthHarness.REDIRECT + "?state=");
        assertThat(single(response.location().orElseThrow(), "state")).isEqualTo("s ü&");
        assertThat(http.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void logoutWithABadPostLogoutRedirectDoesNotRedirect() {
        ClientID client = oauth.client(false);
        var http = oauth.loggedIn();
        String sub = http.get("/api/v1/me").json().get("id").asText();
        var response = http.get("/oauth2/logout?id_token_hint=" + idToken(sub, client, JOSEObjectType.JWT)
                + "&post_logout_redirect_uri=" + encode("https://evil.example/cb"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.location()).isEmpty();
        assertThat(http.get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void logoutWithoutAValidHintAsksFirst() {
        ClientID client = oauth.client(false);
        var http = oauth.loggedIn();
        String sub = http.get("/api/v1/me").json().get("id").asText();
        for (String query : List.of("", "?id_token_hint=" + idToken(sub, client, new JOSEObjectType("at+jwt")),
                "?id_token_hint=not.a.jwt")) {
            var page = http.get("/oauth2/logout" + query);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.location()).isEmpty();
            assertThat(page.body()).contains("action=\"/oauth2/logout\"");
        }
        assertThat(http.get("/api/v1/me").status()).isEqualTo(200);
        var page = http.get("/oauth2/logout");
        http.clearHeader("X-CSRF-Token");
        assertThat(http.postForm("/oauth2/logout", Map.of("confirm", "yes")).status()).isEqualTo(403);
        var confirmed = http.postForm("/oauth2/logout", Map.of("csrf", page.csrfField(), "confirm", "yes"));
        assertThat(confirmed.status()).isEqualTo(303);
        assertThat(confirmed.location().orElseThrow()).startsWith("/login");
        assertThat(http.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void logoutPostedCrossSiteByTheClientBecomesAGetThatCarriesTheSession() {
        ClientID client = oauth.client(false);
        var http = oauth.loggedIn();
        String sub = http.get("/api/v1/me").json().get("id").asText();
        String hint = idToken(sub, client, JOSEObjectType.JWT);
        // The client's page posts the logout form: a cross-site POST, which a browser sends without the Lax session cookie.
        http.setHeader("Sec-Fetch-Site", "cross-site");
        http.setHeader("Origin", "https://app.example");
        var posted = http.postForm("/oauth2/logout", Map.of("id_token_hint", hint, "post_logout_redirect_uri", OAuthHarness.REDIRECT.toString(),
                "state", "s ü&", "unrelated", "dropped"));
        assertThat(posted.status()).isEqualTo(303);
        String get = posted.location().orElseThrow();
        assertThat(get).startsWith("/oauth2/logout?id_token_hint=" + hint + "&post_logout_redirect_uri=").doesNotContain("unrelated");
        assertThat(http.get("/api/v1/me").status()).as("nothing happened yet").isEqualTo(200);

        // A confirmation posted cross-site is refused: only the user's own click on the page may end the session so.
        assertThat(http.postForm("/oauth2/logout", Map.of("confirm", "yes")).status()).isEqualTo(403);
        assertThat(http.get("/api/v1/me").status()).isEqualTo(200);

        // The browser follows the 303 as a top-level GET, which carries the cookie: logged out, back to the client.
        var done = http.get(get);
        assertThat(done.status()).isEqualTo(303);
        assertThat(single(done.location().orElseThrow(), "state")).isEqualTo("s ü&");
        http.clearHeader("Sec-Fetch-Site");
        http.clearHeader("Origin");
        assertThat(http.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void theAccountPageListsConsentsAndRevokesThem() {
        ClientID client = oauth.client(true);
        var http = oauth.loggedIn();
        var user = dev.doorman.account.UserId.parse(http.get("/api/v1/me").json().get("id").asText());
        server.doorman.consents().save(user, client, new com.nimbusds.oauth2.sdk.Scope("openid", "profile"));
        var page = http.get("/account");
        assertThat(page.body()).contains("Notes app").contains("openid, profile").contains("value=\"" + client.getValue() + "\"");
        var p = params(client);
        p.put("prompt", "none");
        assertThat(http.get(authorize(p)).location().orElseThrow()).contains("code=");
        var revoked = http.postForm("/account/consents/revoke", Map.of("csrf", page.csrfField(), "client_id", client.getValue()));
        assertThat(revoked.status()).isEqualTo(303);
        assertThat(server.doorman.consents().find(user, client)).isEmpty();
        assertThat(single(http.get(authorize(p)).location().orElseThrow(), "error")).isEqualTo("consent_required");
    }

    private String idToken(String sub, ClientID client, JOSEObjectType type) {
        var now = server.clock.instant();
        var claims = new JWTClaimsSet.Builder().issuer(server.baseUrl).subject(sub).audience(client.getValue())
                .issueTime(Date.from(now.minusSeconds(7200))).expirationTime(Date.from(now.minusSeconds(3600))).build();
        return server.doorman.tokenSigner().sign(claims, type).serialize();
    }

    private TestHttp.Response par(String authorization, Map<String, String> params) {
        var body = new StringJoiner("&");
        var fields = new LinkedHashMap<>(params);
        if (authorization != null) fields.remove("client_id");
        fields.forEach((k, v) -> body.add(encode(k) + "=" + encode(v)));
        HttpRequest.Builder request = server.client().request("/oauth2/par")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (authorization != null) request.header("Authorization", authorization);
        return server.client().send(request);
    }
}
