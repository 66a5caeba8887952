package dev.doorman.oauth2.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import dev.doorman.client.ClientRegistration;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.doorman.TestServer;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditType;
import dev.doorman.support.ClientInfo;
import dev.doorman.oauth2.Authentication;
import dev.doorman.oauth2.OAuth2Paths;
import dev.doorman.session.Session;
import dev.doorman.testkit.TestHttp;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The back channel over real HTTP, driven by the Nimbus SDK's client side: token endpoint (OA-05..OA-07, OA-09,
 * OA-11, OA-13, OA-15, OA-16, OA-18, OA-19), userinfo (OI-06, JW-06), revocation (OA-21), introspection (OA-22),
 * the revoked feed and SE-07.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackChannelContract {
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final Scope OPENID = new Scope("openid", "email", "profile");

    protected TestServer server;
    protected BackChannelHarness h;

    protected abstract TestServer.Store store();

    @BeforeAll
    void start() {
        server = TestServer.start(store());
        h = new BackChannelHarness(server);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private TestServer.LoggedIn user() {
        return server.registerAndLogIn("user" + USERS.incrementAndGet() + "-" + System.nanoTime() + "@example.org");
    }

    private static TokenResponse parse(HTTPResponse response) {
        try {
            return OIDCTokenResponseParser.parse(response);
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new AssertionError(response.getStatusCode() + " " + response.getBody(), e);
        }
    }

    private static OIDCTokenResponse success(HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return (OIDCTokenResponse) parse(response);
    }

    private static AccessTokenResponse successPlain(HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return parse(response).toSuccessResponse();
    }

    private static void assertError(HTTPResponse response, int status, String code) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(((TokenErrorResponse) parse(response)).getErrorObject().getCode()).isEqualTo(code);
        assertThat(response.getHeaderValue("Cache-Control")).isEqualTo("no-store");
    }

    private OIDCTokenResponse codeFlow(BackChannelHarness.Client client, TestServer.LoggedIn user, Scope scope) {
        var verifier = new CodeVerifier();
        return success(h.redeem(client, h.code(client, user, scope, verifier, Optional.empty()), verifier));
    }

    // --- authorization_code ---

    @Test
    void codeFlowIssuesValidTokensWithNoStore() throws Exception {
        var client = h.confidential("authorization_code", "refresh_token");
        var user = user();
        var verifier = new CodeVerifier();
        var nonce = new Nonce();
        HTTPResponse http = h.redeem(client, h.code(client, user, OPENID, verifier, Optional.of(nonce)), verifier);

        OIDCTokenResponse response = success(http);
        assertThat(http.getHeaderValue("Cache-Control")).isEqualTo("no-store");
        assertThat(http.getHeaderValue("Pragma")).isEqualTo("no-cache");
        var tokens = response.getOIDCTokens();
        assertThat(tokens.getRefreshToken()).isNotNull();
        assertThat(tokens.getAccessToken().getLifetime()).isPositive();

        // The ID token checked by Nimbus' own validator against the published JWKS (OI-03), and its at_hash (OI-04).
        var validator = new IDTokenValidator(new Issuer(server.baseUrl), client.id(), JWSAlgorithm.RS256,
                h.uri(OAuth2Paths.JWKS).toURL());
        validator.setMaxClockSkew((int) Duration.ofDays(3650).toSeconds());   // the server runs on the test's clock
        JWT idToken = tokens.getIDToken();
        IDTokenClaimsSet claims = validator.validate(idToken, nonce);
        assertThat(claims.getSubject().getValue()).isEqualTo(user.user().toString());
        assertThat(claims.getStringClaim("sid")).isEqualTo(user.session().toString());
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(claims.getAuthenticationTime()).isNotNull();
        assertThat(claims.getStringClaim("email")).endsWith("@example.org");
        assertThat(claims.getBooleanClaim("email_verified")).isTrue();
        AccessTokenValidator.validate(tokens.getAccessToken(), JWSAlgorithm.RS256, claims.getAccessTokenHash());

        UserInfoResponse info = UserInfoResponse.parse(h.userInfo(tokens.getAccessToken().getValue()));
        assertThat(info.indicatesSuccess()).isTrue();
        var userInfo = ((UserInfoSuccessResponse) info).getUserInfo();
        assertThat(userInfo.getSubject()).isEqualTo(claims.getSubject());
        assertThat(userInfo.getEmailAddress()).isEqualTo(claims.getStringClaim("email"));
    }

    @Test
    void publicClientRedeemsWithPkceAndGetsNoIdTokenWithoutOpenid() {
        var client = h.publicClient();
        var user = user();
        var verifier = new CodeVerifier();
        HTTPResponse http = h.redeem(client, h.code(client, user, new Scope("notes:read"), verifier, Optional.empty()), verifier);
        assertThat(http.getStatusCode()).as(http.getBody()).isEqualTo(200);
        assertThat(http.getBody()).doesNotContain("id_token");
        assertThat(parse(http).toSuccessResponse().getTokens().getRefreshToken()).isNotNull();
    }

    @Test
    void noRefreshTokenWithoutTheRefreshGrant() {
        var client = h.confidential("authorization_code");
        var tokens = codeFlow(client, user(), OPENID).getOIDCTokens();
        assertThat(tokens.getRefreshToken()).isNull();
        assertThat(tokens.getIDToken()).isNotNull();
    }

    @Test
    void missingVerifierIsInvalidGrant() {
        var client = h.confidential("authorization_code");
        String code = h.code(client, user(), OPENID, new CodeVerifier(), Optional.empty());
        assertError(h.token(client, new AuthorizationCodeGrant(new AuthorizationCode(code), BackChannelHarness.REDIRECT)), 400, "invalid_grant");
    }

    @Test
    void wrongVerifierIsInvalidGrantAndBurnsTheCode() {
        var client = h.confidential("authorization_code");
        var verifier = new CodeVerifier();
        String code = h.code(client, user(), OPENID, verifier, Optional.empty());
        assertError(h.redeem(client, code, new CodeVerifier()), 400, "invalid_grant");
        assertError(h.redeem(client, code, verifier), 400, "invalid_grant");
    }

    @Test
    void plainVerifierIsInvalidGrant() {
        // A downgrade to "plain": the verifier sent is the challenge itself.
        var client = h.confidential("authorization_code");
        var verifier = new CodeVerifier();
        String challenge = com.nimbusds.oauth2.sdk.pkce.CodeChallenge.compute(com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod.S256, verifier)
                .getValue();
        String code = h.code(client, user(), OPENID, verifier, Optional.empty());
        assertError(h.redeem(client, code, new CodeVerifier(challenge)), 400, "invalid_grant");
    }

    @Test
    void tooShortVerifierIsRefused() {
        var client = h.confidential("authorization_code");
        String code = h.code(client, user(), OPENID, new CodeVerifier(), Optional.empty());
        var http = new TestHttp(server.baseUrl);
        http.setHeader("Authorization", ((ClientSecretBasic) client.basic()).toHTTPAuthorizationHeader());
        var response = http.postForm(OAuth2Paths.TOKEN, Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", BackChannelHarness.REDIRECT.toString(), "code_verifier", "short"));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isIn("invalid_grant", "invalid_request");
    }

    @Test
    void alteredRedirectUriIsInvalidGrant() {
        var client = h.confidential("authorization_code");
        var verifier = new CodeVerifier();
        String code = h.code(client, user(), OPENID, verifier, Optional.empty());
        assertError(h.token(client, new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create("https://client.example.org/cb2"),
                verifier)), 400, "invalid_grant");
    }

    @Test
    void codeReplayIsRefusedAndRevokesWhatTheFirstUseIssued() {
        var client = h.confidential("authorization_code", "refresh_token");
        var verifier = new CodeVerifier();
        var user = user();
        String code = h.code(client, user, OPENID, verifier, Optional.empty());
        var first = success(h.redeem(client, code, verifier)).getOIDCTokens();
        assertThat(h.introspect(client, first.getAccessToken()).toSuccessResponse().isActive()).isTrue();

        assertError(h.redeem(client, code, verifier), 400, "invalid_grant");

        assertThat(h.introspect(client, first.getAccessToken()).toSuccessResponse().isActive()).isFalse();
        assertThat(h.userInfo(first.getAccessToken().getValue()).getStatusCode()).isEqualTo(401);
        assertError(h.token(client, new RefreshTokenGrant(first.getRefreshToken())), 400, "invalid_grant");
        assertThat(auditTypes(user)).contains(AuditType.AUTHORIZATION_CODE_REPLAYED, AuditType.TOKEN_ISSUED);
    }

    private List<AuditType> auditTypes(TestServer.LoggedIn user) {
        return server.doorman.auditTrail().forUser(user.user(), 100).stream().map(AuditEvent::type).toList();
    }

    @Test
    void codeOfAnotherClientIsInvalidGrantAndBurnt() {
        var a = h.confidential("authorization_code");
        var b = h.confidential("authorization_code");
        var verifier = new CodeVerifier();
        String code = h.code(a, user(), OPENID, verifier, Optional.empty());
        assertError(h.redeem(b, code, verifier), 400, "invalid_grant");
        assertError(h.redeem(a, code, verifier), 400, "invalid_grant");
    }

    @Test
    void expiredCodeIsInvalidGrant() {
        var client = h.confidential("authorization_code");
        var verifier = new CodeVerifier();
        String code = h.code(client, user(), OPENID, verifier, Optional.empty());
        server.clock.advance(Duration.ofSeconds(61));
        assertError(h.redeem(client, code, verifier), 400, "invalid_grant");
    }

    @Test
    void unknownCodeIsInvalidGrant() {
        var client = h.confidential("authorization_code");
        assertError(h.redeem(client, "no-such-code", new CodeVerifier()), 400, "invalid_grant");
    }

    // --- client authentication and dispatch ---

    @Test
    void wrongSecretWithBasicIs401WithWwwAuthenticate() {
        var client = h.confidential("authorization_code");
        var wrong = new BackChannelHarness.Client(client.id(), Optional.of(new Secret("wrong-secret-wrong-secret-wrong-secret")));
        HTTPResponse response = h.redeem(wrong, "whatever", new CodeVerifier());
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(((TokenErrorResponse) parse(response)).getErrorObject().getCode()).isEqualTo("invalid_client");
        assertThat(response.getHeaderValue("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void noClientAuthenticationIs401() {
        var client = h.confidential("authorization_code");
        var unauthenticated = new BackChannelHarness.Client(client.id(), Optional.empty());
        HTTPResponse response = h.redeem(unauthenticated, "whatever", new CodeVerifier());
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(401);
        assertThat(((TokenErrorResponse) parse(response)).getErrorObject().getCode()).isEqualTo("invalid_client");
    }

    @Test
    void grantNotRegisteredIsUnauthorizedClient() {
        var client = h.confidential("authorization_code");
        assertError(h.token(client, new ClientCredentialsGrant()), 400, "unauthorized_client");
    }

    @Test
    void passwordGrantIsUnsupported() {
        var client = h.confidential("authorization_code");
        assertError(h.token(client, new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("pw"))), 400, "unsupported_grant_type");
    }

    @Test
    void repeatedParameterIsInvalidRequest() {
        var client = h.confidential("authorization_code");
        var http = new TestHttp(server.baseUrl);
        var response = http.send(http.request(OAuth2Paths.TOKEN)
                .header("Authorization", ((ClientSecretBasic) client.basic()).toHTTPAuthorizationHeader())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "grant_type=authorization_code&code=a&code=b&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb")));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo("invalid_request");
    }

    // --- refresh_token ---

    @Test
    void refreshRotatesAndReuseRevokesTheFamily() {
        var client = h.confidential("authorization_code", "refresh_token");
        var user = user();
        var first = codeFlow(client, user, OPENID).getOIDCTokens();
        RefreshToken rt1 = first.getRefreshToken();

        var second = successPlain(h.token(client, new RefreshTokenGrant(rt1))).getTokens();
        RefreshToken rt2 = second.getRefreshToken();
        assertThat(rt2.getValue()).isNotEqualTo(rt1.getValue());
        assertThat(h.introspect(client, second.getAccessToken()).toSuccessResponse().isActive()).isTrue();

        assertError(h.token(client, new RefreshTokenGrant(rt1)), 400, "invalid_grant");

        assertError(h.token(client, new RefreshTokenGrant(rt2)), 400, "invalid_grant");
        assertThat(h.introspect(client, second.getAccessToken()).toSuccessResponse().isActive()).isFalse();
        assertThat(h.introspect(client, first.getAccessToken()).toSuccessResponse().isActive()).isFalse();
        assertThat(auditTypes(user)).contains(AuditType.REFRESH_TOKEN_REUSED, AuditType.REFRESH_TOKEN_ROTATED);
    }

    @Test
    void concurrentRefreshesHaveAtMostOneWinnerAndNoServerError() throws Exception {
        var client = h.confidential("authorization_code", "refresh_token");
        var tokens = codeFlow(client, user(), OPENID).getOIDCTokens();
        var pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            var start = new CountDownLatch(1);
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return h.token(client, new RefreshTokenGrant(tokens.getRefreshToken())).getStatusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (var r : results) statuses.add(r.get());
            assertThat(statuses.stream().filter(st -> st == 200).count()).isLessThanOrEqualTo(1);
            assertThat(statuses).allMatch(st -> st == 200 || st == 400);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void disablingTheUserKillsItsTokens() {
        var client = h.confidential("authorization_code", "refresh_token");
        var user = user();
        var tokens = codeFlow(client, user, OPENID).getOIDCTokens();
        assertThat(server.doorman.accounts().disable(user.user(), new ClientInfo("127.0.0.1", "admin"))).isTrue();
        assertThat(h.introspect(client, tokens.getAccessToken()).toSuccessResponse().isActive()).isFalse();
        assertThat(h.userInfo(tokens.getAccessToken().getValue()).getStatusCode()).isEqualTo(401);
        assertError(h.token(client, new RefreshTokenGrant(tokens.getRefreshToken())), 400, "invalid_grant");
    }

    @Test
    void refreshMayNarrowTheScopeButNotWidenIt() {
        var client = h.confidential("authorization_code", "refresh_token");
        var first = codeFlow(client, user(), new Scope("openid", "notes:read")).getOIDCTokens();

        var narrowed = successPlain(h.token(client, new RefreshTokenGrant(first.getRefreshToken()), new Scope("notes:read"))).getTokens();
        assertThat(narrowed.getAccessToken().getScope()).isEqualTo(new Scope("notes:read"));
        TokenIntrospectionSuccessResponse info = h.introspect(client, narrowed.getAccessToken()).toSuccessResponse();
        assertThat(info.getScope()).isEqualTo(new Scope("notes:read"));

        // The family keeps its scope: the next refresh may ask for openid again, but never for more.
        assertError(h.token(client, new RefreshTokenGrant(narrowed.getRefreshToken()), new Scope("notes:read", "notes:write")), 400,
                "invalid_scope");
        var again = successPlain(h.token(client, new RefreshTokenGrant(narrowed.getRefreshToken()), new Scope("openid", "notes:read")));
        assertThat(again.getTokens().getAccessToken().getScope()).isEqualTo(new Scope("openid", "notes:read"));
    }

    // --- refresh: the original authentication, never more (OIDC Core §12.2) ---

    private IDTokenClaimsSet validIdToken(BackChannelHarness.Client client, JWT idToken, Nonce expectedNonce) throws Exception {
        var validator = new IDTokenValidator(new Issuer(server.baseUrl), client.id(), JWSAlgorithm.RS256, h.uri(OAuth2Paths.JWKS).toURL());
        validator.setMaxClockSkew((int) Duration.ofDays(3650).toSeconds());   // the server runs on the test's clock
        return validator.validate(idToken, expectedNonce);
    }

    @Test
    void refreshWhenTheCodeRecordedASecondFactorThenEveryRotationsTokensClaimTheOriginalAuthTimeAmrAndAcrAndNoNonce() throws Exception {
        var client = h.confidential("authorization_code", "refresh_token");
        var user = user();
        var verifier = new CodeVerifier();
        var nonce = new Nonce();
        // An hour before the session's own login time: the refreshed tokens must follow what the code recorded.
        var original = new Authentication(server.clock.instant().minus(Duration.ofHours(1)), List.of("pwd", "otp", "mfa"),
                Optional.of(Session.ACR_MULTI_FACTOR));
        var tokens = success(h.redeem(client, h.code(client, user, OPENID, verifier, Optional.of(nonce), original), verifier)).getOIDCTokens();
        IDTokenClaimsSet first = validIdToken(client, tokens.getIDToken(), nonce);
        Date previousIat = first.getIssueTime();

        for (int rotation = 1; rotation <= 2; rotation++) {
            server.clock.advance(Duration.ofMinutes(10));
            tokens = success(h.token(client, new RefreshTokenGrant(tokens.getRefreshToken()))).getOIDCTokens();
            IDTokenClaimsSet id = validIdToken(client, tokens.getIDToken(), null);
            assertThat(id.getIssuer()).isEqualTo(first.getIssuer());
            assertThat(id.getSubject()).isEqualTo(first.getSubject());
            assertThat(id.getAudience()).isEqualTo(first.getAudience());
            assertThat(id.getAuthorizedParty()).isEqualTo(first.getAuthorizedParty());
            assertThat(id.getStringClaim("sid")).isEqualTo(first.getStringClaim("sid"));
            assertThat(id.getAuthenticationTime()).isEqualTo(first.getAuthenticationTime());
            assertThat(id.getAuthenticationTime().toInstant().getEpochSecond()).isEqualTo(original.authTime().getEpochSecond());
            assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
            assertThat(id.getACR().getValue()).isEqualTo(Session.ACR_MULTI_FACTOR);
            assertThat(id.getNonce()).as("no nonce on a refresh").isNull();
            assertThat(id.getIssueTime()).isAfter(previousIat);
            previousIat = id.getIssueTime();
            AccessTokenValidator.validate(tokens.getAccessToken(), JWSAlgorithm.RS256, id.getAccessTokenHash());

            JWTClaimsSet access = SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet();
            assertThat(access.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
            assertThat(access.getStringClaim("acr")).isEqualTo(Session.ACR_MULTI_FACTOR);
            assertThat(access.getLongClaim("auth_time")).isEqualTo(original.authTime().getEpochSecond());
        }
    }

    @Test
    void refreshWhenThePasswordAloneWasProvedThenTheRefreshedTokensClaimNoMoreThanThePassword() throws Exception {
        var client = h.confidential("authorization_code", "refresh_token");
        var tokens = codeFlow(client, user(), OPENID).getOIDCTokens();
        server.clock.advance(Duration.ofMinutes(10));

        var refreshed = success(h.token(client, new RefreshTokenGrant(tokens.getRefreshToken()))).getOIDCTokens();

        var id = refreshed.getIDToken().getJWTClaimsSet();
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(id.getClaims()).doesNotContainKey("acr");
        var access = SignedJWT.parse(refreshed.getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(access.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(access.getClaims()).doesNotContainKey("acr");
        assertThat(access.getLongClaim("auth_time")).isEqualTo(tokens.getIDToken().getJWTClaimsSet().getLongClaim("auth_time"));
    }

    @Test
    void refreshWhenTheFamilyPredatesMigrationV10ThenNoIdTokenAndTheAccessTokenClaimsNoAuthentication() throws Exception {
        var client = h.confidential("authorization_code", "refresh_token");
        var user = user();
        var tokens = codeFlow(client, user, OPENID).getOIDCTokens();
        // What V10 leaves in the rows of a family issued before it: nothing known about the authentication.
        server.database.jdbi().useHandle(handle -> handle.createUpdate(
                        "update refresh_tokens set auth_time = null, amr = null, acr = null where client_id = :client")
                .bind("client", client.id().getValue()).execute());

        HTTPResponse http = h.token(client, new RefreshTokenGrant(tokens.getRefreshToken()));
        var refreshed = successPlain(http).getTokens();
        assertThat(http.getBody()).doesNotContain("id_token");
        var access = SignedJWT.parse(refreshed.getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(access.getSubject()).isEqualTo(user.user().toString());
        assertThat(access.getClaims()).doesNotContainKeys("auth_time", "amr", "acr");
        assertThat(h.userInfo(refreshed.getAccessToken().getValue()).getStatusCode()).isEqualTo(200);

        // The next rotation does not invent what the family never knew.
        HTTPResponse next = h.token(client, new RefreshTokenGrant(refreshed.getRefreshToken()));
        var nextAccess = SignedJWT.parse(successPlain(next).getTokens().getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(next.getBody()).doesNotContain("id_token");
        assertThat(nextAccess.getClaims()).doesNotContainKeys("auth_time", "amr", "acr");
    }

    @Test
    void refreshWhenTheNarrowedScopeLeavesOutOpenidThenNoIdTokenAndWhenItAsksForOpenidAgainThenOne() throws Exception {
        var client = h.confidential("authorization_code", "refresh_token");
        var first = codeFlow(client, user(), new Scope("openid", "notes:read")).getOIDCTokens();

        HTTPResponse narrowed = h.token(client, new RefreshTokenGrant(first.getRefreshToken()), new Scope("notes:read"));
        assertThat(narrowed.getBody()).doesNotContain("id_token");
        var again = success(h.token(client, new RefreshTokenGrant(successPlain(narrowed).getTokens().getRefreshToken()),
                new Scope("openid", "notes:read"))).getOIDCTokens();
        assertThat(again.getIDToken().getJWTClaimsSet().getStringListClaim("amr")).containsExactly("pwd");
    }

    @Test
    void refreshTokenOfAnotherClientIsInvalidGrant() {
        var a = h.confidential("authorization_code", "refresh_token");
        var b = h.confidential("authorization_code", "refresh_token");
        var tokens = codeFlow(a, user(), OPENID).getOIDCTokens();
        assertError(h.token(b, new RefreshTokenGrant(tokens.getRefreshToken())), 400, "invalid_grant");
        successPlain(h.token(a, new RefreshTokenGrant(tokens.getRefreshToken())));
    }

    @Test
    void refreshAfterLogoutIsInvalidGrant() {
        var client = h.confidential("authorization_code", "refresh_token");
        var user = user();
        var tokens = codeFlow(client, user, OPENID).getOIDCTokens();
        var logout = user.http().deleteJson("/api/v1/session");
        assertThat(logout.status()).as(logout.body()).isIn(200, 204);
        assertError(h.token(client, new RefreshTokenGrant(tokens.getRefreshToken())), 400, "invalid_grant");
        assertThat(h.introspect(client, tokens.getAccessToken()).toSuccessResponse().isActive()).isFalse();
    }

    @Test
    void refreshAfterPasswordChangeIsInvalidGrant() {
        var client = h.confidential("authorization_code", "refresh_token");
        var user = user();
        var tokens = codeFlow(client, user, OPENID).getOIDCTokens();
        var changed = user.http().postJson("/api/v1/me/password",
                "{\"currentPassword\":\"" + TestServer.PASSWORD + "\",\"newPassword\":\"a brand new passphrase for the test\"}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(204);
        assertError(h.token(client, new RefreshTokenGrant(tokens.getRefreshToken())), 400, "invalid_grant");
    }

    @Test
    void refreshAfterPasswordResetIsInvalidGrant() {
        var client = h.confidential("authorization_code", "refresh_token");
        String email = "reset" + USERS.incrementAndGet() + "-" + System.nanoTime() + "@example.org";
        var user = server.registerAndLogIn(email);
        var tokens = codeFlow(client, user, OPENID).getOIDCTokens();
        var http = new TestHttp(server.baseUrl);
        assertThat(http.postJson("/api/v1/password-reset", "{\"email\":\"" + email + "\"}").status()).isEqualTo(202);
        String token = server.tokenFromMail(email, "/reset-password");
        var confirmed = http.postJson("/api/v1/password-reset/confirm",
                "{\"token\":\"" + token + "\",\"password\":\"violet kettle under amber snow\"}");
        assertThat(confirmed.status()).as(confirmed.body()).isIn(200, 204);
        assertError(h.token(client, new RefreshTokenGrant(tokens.getRefreshToken())), 400, "invalid_grant");
        assertThat(h.introspect(client, tokens.getAccessToken()).toSuccessResponse().isActive()).isFalse();
    }

    @Test
    void refreshAfterItsSessionIsRevokedIsInvalidGrantButOtherSessionsKeepTheirs() {
        var client = h.confidential("authorization_code", "refresh_token");
        String email = "revoke" + USERS.incrementAndGet() + "-" + System.nanoTime() + "@example.org";
        var first = server.registerAndLogIn(email);
        var firstTokens = codeFlow(client, first, OPENID).getOIDCTokens();
        TestHttp other = server.apiLogin(email, TestServer.PASSWORD);
        String otherSession = null;
        for (var session : other.get("/api/v1/me/sessions").json()) {
            if (session.get("current").asBoolean()) otherSession = session.get("id").asText();
        }
        var second = new TestServer.LoggedIn(first.user(), dev.doorman.session.SessionId.tryParse(otherSession).orElseThrow(), other);
        var secondTokens = codeFlow(client, second, OPENID).getOIDCTokens();

        var revoked = other.deleteJson("/api/v1/me/sessions/" + first.session());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);

        assertError(h.token(client, new RefreshTokenGrant(firstTokens.getRefreshToken())), 400, "invalid_grant");
        successPlain(h.token(client, new RefreshTokenGrant(secondTokens.getRefreshToken())));
    }

    @Test
    void unknownRefreshTokenIsInvalidGrant() {
        var client = h.confidential("authorization_code", "refresh_token");
        assertError(h.token(client, new RefreshTokenGrant(new RefreshToken("not-a-refresh-token"))), 400, "invalid_grant");
    }

    // --- client_credentials ---

    @Test
    void clientCredentialsIssuesAClientTokenWithoutRefreshToken() {
        var client = h.confidential("client_credentials");
        var response = successPlain(h.token(client, new ClientCredentialsGrant(), new Scope("notes:read")));
        assertThat(response.getTokens().getRefreshToken()).isNull();
        var info = h.introspect(client, response.getTokens().getAccessToken()).toSuccessResponse();
        assertThat(info.isActive()).isTrue();
        assertThat(info.getSubject().getValue()).isEqualTo(client.id().getValue());
        assertThat(info.getScope()).isEqualTo(new Scope("notes:read"));
        // No user behind it: userinfo refuses it.
        assertThat(h.userInfo(response.getTokens().getAccessToken().getValue()).getStatusCode()).isIn(401, 403);
    }

    @Test
    void clientCredentialsWithoutScopeGetsTheClientsScopeLessTheUserScopes() {
        var client = h.confidential("client_credentials");
        var response = successPlain(h.token(client, new ClientCredentialsGrant()));
        assertThat(response.getTokens().getAccessToken().getScope()).isEqualTo(new Scope("notes:read", "notes:write"));
        assertError(h.token(client, new ClientCredentialsGrant(), new Scope("openid")), 400, "invalid_scope");
    }

    @Test
    void clientCredentialsRefusesAScopeBeyondTheClients() {
        var client = h.confidential("client_credentials");
        assertError(h.token(client, new ClientCredentialsGrant(), new Scope("admin")), 400, "invalid_scope");
    }

    // --- userinfo ---

    @Test
    void userInfoRefusesAnIdTokenAsBearer() {
        var client = h.confidential("authorization_code");
        var tokens = codeFlow(client, user(), OPENID).getOIDCTokens();
        HTTPResponse response = h.userInfo(tokens.getIDTokenString());
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaderValue("WWW-Authenticate")).startsWith("Bearer").contains("error=\"invalid_token\"");
    }

    @Test
    void userInfoWithoutOpenidIsInsufficientScope() {
        var client = h.confidential("authorization_code");
        var tokens = codeFlow(client, user(), new Scope("notes:read")).getOIDCTokens();
        HTTPResponse response = h.userInfo(tokens.getAccessToken().getValue());
        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaderValue("WWW-Authenticate")).contains("insufficient_scope");
    }

    @Test
    void userInfoAcceptsTheTokenInAPostBodyAndSaysNoStore() {
        var client = h.confidential("authorization_code");
        var tokens = codeFlow(client, user(), OPENID).getOIDCTokens();
        var response = new TestHttp(server.baseUrl).postForm(OAuth2Paths.USERINFO, Map.of("access_token", tokens.getAccessToken().getValue()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("sub").asText()).isNotBlank();
        assertThat(response.header("Cache-Control")).contains("no-store");
    }

    @Test
    void userInfoWithGarbageIs401() {
        HTTPResponse response = h.userInfo("garbage");
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaderValue("WWW-Authenticate")).contains("invalid_token");
    }

    // --- revocation ---

    @Test
    void revokedAccessTokenIsInactiveAndRefusedAtUserInfoAndListedInTheFeed() {
        var client = h.confidential("authorization_code");
        var tokens = codeFlow(client, user(), OPENID).getOIDCTokens();
        assertThat(h.revoke(client, tokens.getAccessToken()).getStatusCode()).isEqualTo(200);

        assertThat(h.introspect(client, tokens.getAccessToken()).toSuccessResponse().isActive()).isFalse();
        assertThat(h.userInfo(tokens.getAccessToken().getValue()).getStatusCode()).isEqualTo(401);

        var feed = new TestHttp(server.baseUrl).get(OAuth2Paths.REVOKED_TOKENS);
        assertThat(feed.status()).isEqualTo(200);
        assertThat(feed.header("Cache-Control")).contains("max-age=30");
        String jti = introspectJti(tokens.getAccessToken());
        assertThat(feed.body()).contains(jti);
    }

    private static String introspectJti(com.nimbusds.oauth2.sdk.token.AccessToken token) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(token.getValue()).getJWTClaimsSet().getJWTID();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void revokingARefreshTokenKillsItsFamily() {
        var client = h.publicClient();
        var user = user();
        var verifier = new CodeVerifier();
        var tokens = parse(h.redeem(client, h.code(client, user, new Scope("openid"), verifier, Optional.empty()), verifier))
                .toSuccessResponse().getTokens();
        assertThat(h.revoke(client, tokens.getRefreshToken()).getStatusCode()).isEqualTo(200);
        assertError(h.token(client, new RefreshTokenGrant(tokens.getRefreshToken())), 400, "invalid_grant");
        assertThat(h.userInfo(tokens.getAccessToken().getValue()).getStatusCode()).isEqualTo(401);
    }

    @Test
    void revokingAnotherClientsTokenChangesNothing() {
        var a = h.confidential("authorization_code", "refresh_token");
        var b = h.confidential("authorization_code", "refresh_token");
        var tokens = codeFlow(a, user(), OPENID).getOIDCTokens();
        assertThat(h.revoke(b, tokens.getRefreshToken()).getStatusCode()).isEqualTo(200);
        assertThat(h.revoke(b, tokens.getAccessToken()).getStatusCode()).isEqualTo(200);
        assertThat(h.introspect(a, tokens.getAccessToken()).toSuccessResponse().isActive()).isTrue();
        successPlain(h.token(a, new RefreshTokenGrant(tokens.getRefreshToken())));
    }

    @Test
    void revokingGarbageIs200AndAWrongSecretIs401() {
        var client = h.confidential("authorization_code");
        assertThat(h.revoke(client, new BearerAccessToken("garbage")).getStatusCode()).isEqualTo(200);
        var wrong = new BackChannelHarness.Client(client.id(), Optional.of(new Secret("wrong-secret-wrong-secret-wrong-secret")));
        HTTPResponse response = h.revoke(wrong, new BearerAccessToken("garbage"));
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaderValue("WWW-Authenticate")).startsWith("Basic");
    }

    // --- introspection ---

    @Test
    void introspectionOfAnActiveTokenHasTheRfc7662Members() {
        var client = h.confidential("authorization_code", "refresh_token");
        var user = user();
        var tokens = codeFlow(client, user, OPENID).getOIDCTokens();
        JSONObject body = h.introspect(client, tokens.getAccessToken()).toSuccessResponse().toJSONObject();
        assertThat(body).containsKeys("active", "scope", "client_id", "sub", "exp", "iat", "iss", "aud", "token_type", "jti");
        assertThat(body.get("active")).isEqualTo(true);
        assertThat(body.get("sub")).isEqualTo(user.user().toString());
        assertThat(body.get("client_id")).isEqualTo(client.id().getValue());
        assertThat(body.get("iss")).isEqualTo(server.baseUrl);

        var refresh = h.introspect(client, tokens.getRefreshToken()).toSuccessResponse();
        assertThat(refresh.isActive()).isTrue();
        assertThat(refresh.getClientID()).isEqualTo(client.id());
    }

    @Test
    void introspectionOfGarbageIsExactlyActiveFalse() {
        var client = h.confidential("authorization_code");
        HTTPResponse response = h.introspectRaw(client, new BearerAccessToken("garbage"));
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody().strip()).isEqualTo("{\"active\":false}");
    }

    @Test
    void introspectionWithoutAuthenticationIs401() {
        var http = new TestHttp(server.baseUrl);
        var response = http.postForm(OAuth2Paths.INTROSPECT, Map.of("token", "garbage"));
        assertThat(response.status()).isEqualTo(401);
        var publicClient = h.publicClient();
        var asPublic = http.postForm(OAuth2Paths.INTROSPECT, Map.of("token", "garbage", "client_id", publicClient.id().getValue()));
        assertThat(asPublic.status()).isEqualTo(401);
    }

    @Test
    void introspectionByAnotherClientNotInTheAudienceIsInactive() {
        var a = h.confidential("authorization_code", "refresh_token");
        var b = h.confidential("authorization_code");
        var tokens = codeFlow(a, user(), OPENID).getOIDCTokens();
        assertThat(h.introspect(b, tokens.getAccessToken()).toSuccessResponse().isActive()).isFalse();
        assertThat(h.introspect(b, tokens.getRefreshToken()).toSuccessResponse().isActive()).isFalse();
    }

    @Test
    void wrongSecretAtIntrospectionIs401() {
        var client = h.confidential("authorization_code");
        HTTPResponse response = BackChannelHarness.send(new com.nimbusds.oauth2.sdk.TokenIntrospectionRequest(h.uri(OAuth2Paths.INTROSPECT),
                new ClientSecretBasic(client.id(), new Secret("wrong-secret-wrong-secret-wrong-secret")), new BearerAccessToken("x"))
                .toHTTPRequest());
        assertThat(response.getStatusCode()).isEqualTo(401);
    }

    // --- private_key_jwt (RFC 7523, JW-10) over HTTP ---

    private PrivateKeyJWT assertion(ClientID client, RSAKey key, Instant now) throws JOSEException {
        var claims = new JWTAuthenticationClaimsSet(client, List.of(new Audience(h.uri(OAuth2Paths.TOKEN))),
                Date.from(now.plusSeconds(60)), null, Date.from(now), new JWTID());
        return new PrivateKeyJWT(claims, JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null);
    }

    @Test
    void privateKeyJwtClientGetsATokenAndAReplayedAssertionIsInvalidClient() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("job-key-1").generate();
        var created = server.createClient(ClientRegistration.confidential("Signing job").authMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .jwks(new JWKSet(key.toPublicJWK()).toString()).grantType("client_credentials").scope("notes:read").build());
        ClientID id = created.client().id();
        assertThat(created.secret()).as("no secret for a key-authenticated client").isEmpty();

        PrivateKeyJWT first = assertion(id, key, server.clock.instant());
        HTTPResponse issued = BackChannelHarness.send(new TokenRequest(h.uri(OAuth2Paths.TOKEN), first, new ClientCredentialsGrant(),
                new Scope("notes:read")).toHTTPRequest());
        assertThat(successPlain(issued).getTokens().getAccessToken().getScope()).isEqualTo(new Scope("notes:read"));

        // The same assertion again: its jti was spent (JW-10), so the client is not authenticated.
        HTTPResponse replayed = BackChannelHarness.send(new TokenRequest(h.uri(OAuth2Paths.TOKEN), first, new ClientCredentialsGrant(),
                new Scope("notes:read")).toHTTPRequest());
        assertError(replayed, 401, "invalid_client");

        // Signed by another key under the registered kid, or by the right key but for another client: refused.
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("job-key-1").generate();
        assertError(BackChannelHarness.send(new TokenRequest(h.uri(OAuth2Paths.TOKEN), assertion(id, stranger, server.clock.instant()),
                new ClientCredentialsGrant()).toHTTPRequest()), 401, "invalid_client");
        var other = h.confidential("client_credentials");
        assertError(BackChannelHarness.send(new TokenRequest(h.uri(OAuth2Paths.TOKEN), assertion(other.id(), key, server.clock.instant()),
                new ClientCredentialsGrant()).toHTTPRequest()), 401, "invalid_client");
        // A secret instead of the registered assertion: the method is pinned (OA-13).
        assertError(BackChannelHarness.send(new TokenRequest(h.uri(OAuth2Paths.TOKEN),
                new ClientSecretBasic(id, new Secret("a-guessed-secret-a-guessed-secret-a-guessed")), new ClientCredentialsGrant())
                .toHTTPRequest()), 401, "invalid_client");

        // A fresh assertion works again.
        successPlain(BackChannelHarness.send(new TokenRequest(h.uri(OAuth2Paths.TOKEN), assertion(id, key, server.clock.instant()),
                new ClientCredentialsGrant()).toHTTPRequest()));
    }

    // --- deleting a client ---

    @Test
    void deletingAClientRevokesItsTokensAndForgetsItsConsents() throws Exception {
        var client = h.confidential("authorization_code", "refresh_token");
        var bystander = h.confidential("authorization_code", "refresh_token");
        var user = user();
        var tokens = codeFlow(client, user, OPENID).getOIDCTokens();
        var kept = codeFlow(bystander, user, OPENID).getOIDCTokens();
        server.doorman.consents().save(user.user(), client.id(), OPENID);
        server.doorman.consents().save(user.user(), bystander.id(), OPENID);

        assertThat(server.doorman.clientService().delete(client.id(), ClientInfo.unknown())).isTrue();

        assertThat(h.introspect(bystander, tokens.getAccessToken()).toSuccessResponse().isActive()).isFalse();
        assertThat(h.userInfo(tokens.getAccessToken().getValue()).getStatusCode()).isEqualTo(401);
        assertThat(server.doorman.revocationList().isRevoked(new JWTID(
                SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet().getJWTID()))).isTrue();
        assertThat(server.doorman.consents().find(user.user(), client.id())).isEmpty();
        // Registered again under the same id, the client finds nothing of the old one: its refresh token is dead.
        var again = server.createClient(ClientRegistration.confidential("Back-channel test app").id(client.id().getValue())
                .redirectUri(BackChannelHarness.REDIRECT.toString()).grantType("authorization_code").grantType("refresh_token")
                .scope("openid").build());
        var reborn = new BackChannelHarness.Client(again.client().id(), again.secret());
        assertError(h.token(reborn, new RefreshTokenGrant(tokens.getRefreshToken())), 400, "invalid_grant");

        // Another client's tokens and consents are untouched.
        assertThat(h.introspect(bystander, kept.getAccessToken()).toSuccessResponse().isActive()).isTrue();
        assertThat(server.doorman.consents().find(user.user(), bystander.id())).isPresent();
        successPlain(h.token(bystander, new RefreshTokenGrant(kept.getRefreshToken())));
        assertThat(server.doorman.clientService().delete(client.id(), ClientInfo.unknown())).as("deleting again").isTrue();
        assertThat(server.doorman.clientService().delete(client.id(), ClientInfo.unknown())).as("nothing left").isFalse();
    }

    // --- audiences ---

    @Test
    void accessTokenNamesTheClientsApisAndDoormanOnlyWhenOpenidIsGrantedSoUserInfoAcceptsExactlyThose() throws Exception {
        var created = server.createClient(ClientRegistration.confidential("API caller").redirectUri(BackChannelHarness.REDIRECT.toString())
                .grantType("authorization_code").scope("openid").scope("email").scope("notes:read").audience("https://notes.example.org")
                .build());
        var client = new BackChannelHarness.Client(created.client().id(), created.secret());
        var user = user();

        var withOpenid = codeFlow(client, user, new Scope("openid", "notes:read")).getOIDCTokens().getAccessToken();
        assertThat(SignedJWT.parse(withOpenid.getValue()).getJWTClaimsSet().getAudience())
                .containsExactly("https://notes.example.org", server.baseUrl);
        assertThat(h.userInfo(withOpenid.getValue()).getStatusCode()).isEqualTo(200);

        var apiOnly = codeFlow(client, user, new Scope("notes:read")).getOIDCTokens().getAccessToken();
        assertThat(SignedJWT.parse(apiOnly.getValue()).getJWTClaimsSet().getAudience()).containsExactly("https://notes.example.org");
        HTTPResponse refused = h.userInfo(apiOnly.getValue());
        assertThat(refused.getStatusCode()).isEqualTo(401);
        assertThat(refused.getHeaderValue("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }
}
