package dev.doorman.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.doorman.TestServer;
import dev.doorman.client.ClientRegistration;
import dev.doorman.mfa.MfaPaths;
import dev.doorman.mfa.TestTotp;
import dev.doorman.oauth2.OAuth2Paths;
import dev.doorman.session.Session;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refreshed tokens after real logins (OIDC Core §12.2): a refresh is no new authentication, so every rotation's ID
 * token and access token claim the {@code auth_time}, {@code amr} and {@code acr} of the login behind the code, with
 * the same {@code iss}, {@code sub}, {@code aud}, {@code azp}, no {@code nonce} and a new {@code iat}; and never a
 * factor the session passed only afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RefreshedTokensContract {
    private static final URI REDIRECT = URI.create("https://notes.example.org/callback");
    private static final ClientID CLIENT = new ClientID("refreshing-app");
    private TestServer server;
    private ClientSecretBasic clientAuth;

    abstract TestServer.Store store();

    @BeforeAll
    void start() {
        server = TestServer.start(store());
        var created = server.createClient(ClientRegistration.confidential("Refreshing App").id(CLIENT.getValue())
                .redirectUri(REDIRECT.toString()).grantType("authorization_code").grantType("refresh_token")
                .scope("openid").scope("email").consentRequired(false).build());
        clientAuth = new ClientSecretBasic(CLIENT, created.secret().orElseThrow());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void refreshWhenTheLoginPassedPasswordAndTotpThenEveryRotationClaimsTheSameAuthTimeAmrAndAcrWithoutNonceAndWithANewIat()
            throws Exception {
        String email = "refresh-mfa-" + store() + "@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        String secret = enrollTotp(server.apiLogin(email, TestServer.PASSWORD));
        TestHttp browser = server.client();
        assertThat(browser.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + TestServer.PASSWORD + "\"}")
                .status()).isEqualTo(202);
        assertThat(browser.postJson(MfaPaths.API_CHALLENGE, "{\"code\":\"" + TestTotp.code(secret, server.clock.instant()) + "\"}")
                .status()).isEqualTo(200);
        server.clock.advance(Duration.ofMinutes(5));
        var nonce = new Nonce();
        OIDCTokens tokens = codeFlow(browser, Optional.of(nonce));
        IDTokenClaimsSet first = validIdToken(tokens, nonce);
        assertThat(first.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
        assertThat(first.getACR().getValue()).isEqualTo(Session.ACR_MULTI_FACTOR);
        Date previousIat = first.getIssueTime();

        for (int rotation = 1; rotation <= 2; rotation++) {
            server.clock.advance(Duration.ofMinutes(10));
            tokens = redeem(new RefreshTokenGrant(tokens.getRefreshToken()));
            IDTokenClaimsSet id = validIdToken(tokens, null);
            assertThat(id.getIssuer()).isEqualTo(first.getIssuer());
            assertThat(id.getSubject()).isEqualTo(first.getSubject());
            assertThat(id.getAudience()).isEqualTo(first.getAudience());
            assertThat(id.getAuthorizedParty()).isEqualTo(first.getAuthorizedParty());
            assertThat(id.getAuthenticationTime()).as("the original login's time, rotation " + rotation).isEqualTo(first.getAuthenticationTime());
            assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
            assertThat(id.getACR()).isEqualTo(first.getACR());
            assertThat(id.getNonce()).as("no nonce on a refresh").isNull();
            assertThat(id.getIssueTime()).isAfter(previousIat);
            previousIat = id.getIssueTime();

            JWTClaimsSet access = claims(tokens);
            assertThat(access.getSubject()).isEqualTo(first.getSubject().getValue());
            assertThat(access.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
            assertThat(access.getStringClaim("acr")).isEqualTo(Session.ACR_MULTI_FACTOR);
            assertThat(access.getLongClaim("auth_time")).isEqualTo(first.getAuthenticationTime().toInstant().getEpochSecond());
        }
    }

    @Test
    void refreshWhenTheSessionPassedASecondFactorOnlyAfterTheCodeThenTheRefreshedTokensStillClaimThePasswordAlone() throws Exception {
        String email = "refresh-stepup-" + store() + "@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        TestHttp older = server.apiLogin(email, TestServer.PASSWORD);     // a password-only session, from before the enrollment
        String secret = enrollTotp(server.apiLogin(email, TestServer.PASSWORD));
        OIDCTokens tokens = codeFlow(older, Optional.empty());
        IDTokenClaimsSet first = validIdToken(tokens, null);
        assertThat(first.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(first.getACR().getValue()).isEqualTo(Session.ACR_SINGLE_FACTOR);

        // The same session now passes the second factor, later: what it proves from here on, the family never saw.
        server.clock.advance(Duration.ofMinutes(5));
        var stepUp = older.postJson(MfaPaths.API_STEP_UP, "{\"code\":\"" + TestTotp.code(secret, server.clock.instant()) + "\"}");
        assertThat(stepUp.status()).as(stepUp.body()).isEqualTo(200);
        IDTokenClaimsSet afterStepUp = validIdToken(codeFlow(older, Optional.empty()), null);
        assertThat(afterStepUp.getStringListClaim("amr")).as("the session did step up").contains("otp", "mfa");
        assertThat(afterStepUp.getAuthenticationTime()).isAfter(first.getAuthenticationTime());

        server.clock.advance(Duration.ofMinutes(5));
        OIDCTokens refreshed = redeem(new RefreshTokenGrant(tokens.getRefreshToken()));

        IDTokenClaimsSet id = validIdToken(refreshed, null);
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(id.getACR().getValue()).isEqualTo(Session.ACR_SINGLE_FACTOR);
        assertThat(id.getAuthenticationTime()).isEqualTo(first.getAuthenticationTime());
        JWTClaimsSet access = claims(refreshed);
        assertThat(access.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(access.getStringClaim("acr")).isEqualTo(Session.ACR_SINGLE_FACTOR);
        assertThat(access.getLongClaim("auth_time")).isEqualTo(first.getAuthenticationTime().toInstant().getEpochSecond());
    }

    private String enrollTotp(TestHttp http) {
        String secret = http.postJson(MfaPaths.API_TOTP, "{}").json().get("secret").asText();
        assertThat(http.postJson(MfaPaths.API_TOTP_CONFIRM, "{\"code\":\"" + TestTotp.code(secret, server.clock.instant()) + "\"}").status())
                .isEqualTo(200);
        server.clock.advance(Duration.ofSeconds(30));   // the next code is another one: a used code is refused
        return secret;
    }

    /** Authorization Code + PKCE as the browser's session, then the code exchange. */
    private OIDCTokens codeFlow(TestHttp browser, Optional<Nonce> nonce) throws Exception {
        var verifier = new CodeVerifier();
        var request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "email"), CLIENT, REDIRECT)
                .endpointURI(URI.create(server.baseUrl + OAuth2Paths.AUTHORIZE)).state(new State()).nonce(nonce.orElse(null))
                .codeChallenge(verifier, CodeChallengeMethod.S256).build();
        var authorized = browser.get(request.toURI().toString());
        assertThat(authorized.status()).as(authorized.body()).isEqualTo(303);
        var response = AuthenticationResponseParser.parse(URI.create(authorized.location().orElseThrow()));
        assertThat(response.indicatesSuccess()).as(authorized.location().orElseThrow()).isTrue();
        return redeem(new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(), REDIRECT, verifier));
    }

    private OIDCTokens redeem(AuthorizationGrant grant) throws Exception {
        TokenResponse response = OIDCTokenResponseParser.parse(new TokenRequest(URI.create(server.baseUrl + OAuth2Paths.TOKEN), clientAuth,
                grant).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as(response.toString()).isTrue();
        return ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens();
    }

    /** Validated by Nimbus against the published keys, with its at_hash checked against the access token beside it. */
    private IDTokenClaimsSet validIdToken(OIDCTokens tokens, Nonce expectedNonce) throws Exception {
        var validator = new IDTokenValidator(new Issuer(server.baseUrl), CLIENT, JWSAlgorithm.RS256,
                URI.create(server.baseUrl + OAuth2Paths.JWKS).toURL());
        validator.setMaxClockSkew((int) Duration.ofDays(3650).toSeconds());   // the server runs on the test's clock
        IDTokenClaimsSet claims = validator.validate(tokens.getIDToken(), expectedNonce);
        AccessTokenValidator.validate(tokens.getAccessToken(), JWSAlgorithm.RS256, claims.getAccessTokenHash());
        return claims;
    }

    private static JWTClaimsSet claims(OIDCTokens tokens) throws java.text.ParseException {
        return SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet();
    }
}
