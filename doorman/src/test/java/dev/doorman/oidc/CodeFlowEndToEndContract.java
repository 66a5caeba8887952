package dev.doorman.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
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
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.doorman.TestServer;
import dev.doorman.client.ClientRegistration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole Authorization Code + PKCE flow as a relying party drives it, with the Nimbus SDK's client side as the
 * independent client library: discovery, authorize (a logged-in browser), token, ID token validation with Nimbus'
 * own validator, userinfo, refresh rotation, revocation and introspection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CodeFlowEndToEndContract {
    private static final URI REDIRECT = URI.create("https://notes.example.org/callback");
    private TestServer server;

    abstract TestServer.Store store();

    @BeforeAll
    void start() {
        server = TestServer.start(store());
        server.clock.set(java.time.Instant.now());   // Nimbus' own ID-token validator checks times against the real clock
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void codeFlowWhenARelyingPartyLogsAUserInThenEveryStepWorksAndTokensVerifyIndependently() throws Exception {
        var created = server.createClient(ClientRegistration.confidential("Notes").id("notes-web").redirectUri(REDIRECT.toString())
                .grantType("authorization_code").grantType("refresh_token").scope("openid").scope("profile").scope("email")
                .consentRequired(false).build());
        var client = new ClientSecretBasic(new ClientID("notes-web"), created.secret().orElseThrow());
        var user = server.registerAndLogIn("rp-user@example.org");

        // Discovery, parsed by Nimbus.
        var discovery = server.client().get("/.well-known/openid-configuration");
        assertThat(discovery.status()).isEqualTo(200);
        var metadata = OIDCProviderMetadata.parse(discovery.body());
        assertThat(metadata.getIssuer()).isEqualTo(new Issuer(server.baseUrl));

        // Authorize as the logged-in browser.
        var verifier = new CodeVerifier();
        var state = new State();
        var nonce = new Nonce();
        var request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile", "email"), new ClientID("notes-web"), REDIRECT)
                .endpointURI(metadata.getAuthorizationEndpointURI()).state(state).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build();
        var authorized = user.http().get(request.toURI().toString());
        assertThat(authorized.status()).as(authorized.body()).isIn(302, 303);
        var response = AuthenticationResponseParser.parse(URI.create(authorized.location().orElseThrow()));
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
        assertThat(response.getIssuer()).isEqualTo(metadata.getIssuer());
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();

        // Token, with the Nimbus client.
        TokenResponse tokenResponse = OIDCTokenResponseParser.parse(new TokenRequest(metadata.getTokenEndpointURI(), client,
                new AuthorizationCodeGrant(code, REDIRECT, verifier)).toHTTPRequest().send());
        assertThat(tokenResponse.indicatesSuccess()).as(tokenResponse.toString()).isTrue();
        var tokens = ((OIDCTokenResponse) tokenResponse.toSuccessResponse()).getOIDCTokens();
        assertThat(tokens.getRefreshToken()).isNotNull();

        // The ID token, validated by Nimbus' own validator against the published keys.
        var jwks = JWKSet.load(metadata.getJWKSetURI().toURL());
        var validator = new IDTokenValidator(metadata.getIssuer(), new ClientID("notes-web"), JWSAlgorithm.RS256, jwks);
        var idClaims = validator.validate(tokens.getIDToken(), nonce);
        assertThat(idClaims.getSubject().getValue()).isEqualTo(user.user().toString());

        // Userinfo.
        var userInfo = UserInfoResponse.parse(new UserInfoRequest(metadata.getUserInfoEndpointURI(), tokens.getBearerAccessToken())
                .toHTTPRequest().send());
        assertThat(userInfo.indicatesSuccess()).isTrue();
        assertThat(userInfo.toSuccessResponse().getUserInfo().getSubject()).isEqualTo(idClaims.getSubject());
        assertThat(userInfo.toSuccessResponse().getUserInfo().getEmailAddress()).isEqualTo("rp-user@example.org");

        // Refresh: rotated, and the old one is then a reuse that kills the family.
        var refreshed = TokenResponse.parse(new TokenRequest(metadata.getTokenEndpointURI(), client,
                new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest().send());
        assertThat(refreshed.indicatesSuccess()).isTrue();
        var rotated = refreshed.toSuccessResponse().getTokens();
        assertThat(rotated.getRefreshToken()).isNotEqualTo(tokens.getRefreshToken());
        var reuse = TokenResponse.parse(new TokenRequest(metadata.getTokenEndpointURI(), client,
                new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest().send());
        assertThat(reuse.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) reuse).getErrorObject().getCode()).isEqualTo("invalid_grant");
        var afterReuse = TokenResponse.parse(new TokenRequest(metadata.getTokenEndpointURI(), client,
                new RefreshTokenGrant(rotated.getRefreshToken())).toHTTPRequest().send());
        assertThat(afterReuse.indicatesSuccess()).as("reuse revoked the whole family").isFalse();

        // Revocation of an access token, seen by introspection and userinfo.
        var fresh = rotated.getBearerAccessToken();
        assertThat(new TokenRevocationRequest(metadata.getRevocationEndpointURI(), client, fresh).toHTTPRequest().send().getStatusCode())
                .isEqualTo(200);
        var introspection = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(metadata.getIntrospectionEndpointURI(),
                client, fresh).toHTTPRequest().send());
        assertThat(introspection.toSuccessResponse().isActive()).isFalse();
        assertThat(UserInfoResponse.parse(new UserInfoRequest(metadata.getUserInfoEndpointURI(), fresh).toHTTPRequest().send())
                .indicatesSuccess()).isFalse();

        // The code was single use.
        var replay = TokenResponse.parse(new TokenRequest(metadata.getTokenEndpointURI(), client,
                new AuthorizationCodeGrant(code, REDIRECT, verifier)).toHTTPRequest().send());
        assertThat(replay.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) replay).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void withdrawConsentWhenTheUserRevokesItOnTheAccountPageThenTheClientsTokensDieAndItMustAskAgain() throws Exception {
        var created = server.createClient(ClientRegistration.confidential("Tasks").id("tasks-web").redirectUri(REDIRECT.toString())
                .grantType("authorization_code").grantType("refresh_token").scope("openid").scope("profile").consentRequired(true).build());
        var client = new ClientSecretBasic(new ClientID("tasks-web"), created.secret().orElseThrow());
        var user = server.registerAndLogIn("consenting@example.org");
        var metadata = OIDCProviderMetadata.parse(server.client().get("/.well-known/openid-configuration").body());
        var verifier = new CodeVerifier();
        var request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile"), new ClientID("tasks-web"), REDIRECT)
                .endpointURI(metadata.getAuthorizationEndpointURI()).state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256).build();

        var toConsent = user.http().get(request.toURI().toString());
        assertThat(toConsent.location().orElseThrow()).startsWith("/oauth2/consent?");
        var page = user.http().get(toConsent.location().orElseThrow());
        String id = page.body().replaceAll("(?s).*name=\"id\" value=\"([^\"]+)\".*", "$1");
        var approved = user.http().postForm("/oauth2/consent", java.util.Map.of("csrf", page.csrfField(), "client_id", "tasks-web",
                "id", id, "decision", "approve"));
        var code = AuthenticationResponseParser.parse(URI.create(approved.location().orElseThrow())).toSuccessResponse().getAuthorizationCode();
        var tokens = TokenResponse.parse(new TokenRequest(metadata.getTokenEndpointURI(), client,
                new AuthorizationCodeGrant(code, REDIRECT, verifier)).toHTTPRequest().send()).toSuccessResponse().getTokens();

        var account = user.http().get("/account");
        assertThat(account.body()).contains("Tasks");
        var withdrawn = user.http().postForm("/account/consents/revoke", java.util.Map.of("csrf", account.csrfField(), "client_id", "tasks-web"));
        assertThat(withdrawn.status()).isEqualTo(303);

        var refresh = TokenResponse.parse(new TokenRequest(metadata.getTokenEndpointURI(), client,
                new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest().send());
        assertThat(refresh.indicatesSuccess()).as("the refresh token died with the consent").isFalse();
        var introspection = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(metadata.getIntrospectionEndpointURI(),
                client, tokens.getAccessToken()).toHTTPRequest().send());
        assertThat(introspection.toSuccessResponse().isActive()).as("and so did the access token").isFalse();
        assertThat(user.http().get(request.toURI().toString()).location().orElseThrow()).as("the client must ask again")
                .startsWith("/oauth2/consent?");
        assertThat(server.doorman.auditTrail().forUser(user.user(), 50)).anySatisfy(e ->
                assertThat(e.type()).isEqualTo(dev.doorman.audit.AuditType.CONSENT_WITHDRAWN));
    }

    @Test
    void loginPageWhenItResumesAnAuthorizationRequestThenItsFormActionAllowsTheClientsRedirectOrigins() {
        server.createClient(ClientRegistration.publicClient("Login app").id("login-app").redirectUri("https://login-app.example.org/cb")
                .scope("openid").consentRequired(false).build());
        var browser = server.client();
        var request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), new ClientID("login-app"),
                URI.create("https://login-app.example.org/cb")).endpointURI(URI.create(server.baseUrl + "/oauth2/authorize"))
                .state(new State()).codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build();
        String login = browser.get(request.toURI().toString()).location().orElseThrow();
        assertThat(login).startsWith("/login?");
        var page = browser.get(login);
        assertThat(page.header("Content-Security-Policy").orElseThrow()).contains("form-action 'self' https://login-app.example.org;");
        assertThat(server.client().get("/login").header("Content-Security-Policy").orElseThrow()).contains("form-action 'self';");
    }
}
