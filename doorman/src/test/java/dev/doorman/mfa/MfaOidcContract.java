package dev.doorman.mfa;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import dev.doorman.TestServer;
import dev.doorman.client.ClientRegistration;
import dev.doorman.session.Session;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** acr_values at the authorization endpoint, and acr/amr in ID tokens, through a real code flow. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MfaOidcContract {
    private static final URI REDIRECT = URI.create("https://notes.example.org/callback");
    private static final ClientID CLIENT = new ClientID("acr-app");
    private TestServer server;
    private ClientSecretBasic clientAuth;

    abstract TestServer.Store store();

    @BeforeAll
    void start() {
        server = TestServer.start(store());
        var created = server.createClient(ClientRegistration.confidential("Acr App").id(CLIENT.getValue()).redirectUri(REDIRECT.toString())
                .grantType("authorization_code").scope("openid").consentRequired(false).build());
        clientAuth = new ClientSecretBasic(CLIENT, created.secret().orElseThrow());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String enrollTotp(TestHttp http) {
        String secret = http.postJson(MfaPaths.API_TOTP, "{}").json().get("secret").asText();
        assertThat(http.postJson(MfaPaths.API_TOTP_CONFIRM, "{\"code\":\"" + TestTotp.code(secret, server.clock.instant()) + "\"}").status()).isEqualTo(200);
        server.clock.advance(Duration.ofSeconds(30));
        return secret;
    }

    private record Flow(AuthenticationRequest request, CodeVerifier verifier) { }

    private Flow request(String acrValues, Prompt prompt) {
        var verifier = new CodeVerifier();
        var builder = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), CLIENT, REDIRECT)
                .endpointURI(URI.create(server.baseUrl + "/oauth2/authorize")).state(new State()).nonce(new Nonce())
                .codeChallenge(verifier, CodeChallengeMethod.S256);
        if (acrValues != null) builder.acrValues(List.of(new ACR(acrValues)));
        if (prompt != null) builder.prompt(prompt);
        return new Flow(builder.build(), verifier);
    }

    private JWTClaimsSet idTokenFrom(String location, CodeVerifier verifier) throws Exception {
        var response = AuthenticationResponseParser.parse(URI.create(location));
        assertThat(response.indicatesSuccess()).as(location).isTrue();
        TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(URI.create(server.baseUrl + "/oauth2/token"), clientAuth,
                new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(), REDIRECT, verifier)).toHTTPRequest().send());
        assertThat(tokens.indicatesSuccess()).as(tokens.toString()).isTrue();
        return ((OIDCTokenResponse) tokens.toSuccessResponse()).getOIDCTokens().getIDToken().getJWTClaimsSet();
    }

    @Test
    void discoveryWhenFetchedThenListsBothAcrValues() throws Exception {
        var metadata = com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata.parse(server.client().get("/.well-known/openid-configuration").body());
        assertThat(metadata.getACRs()).extracting(ACR::getValue).containsExactly(Session.ACR_SINGLE_FACTOR, Session.ACR_MULTI_FACTOR);
    }

    @Test
    void idTokenWhenTheLoginPassedASecondFactorThenAcrIsMultiFactorAndAmrListsPasswordOtpAndMfa() throws Exception {
        String email = "acr-mfa-" + store() + "@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        String secret = enrollTotp(server.apiLogin(email, TestServer.PASSWORD));
        TestHttp browser = server.client();
        assertThat(browser.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + TestServer.PASSWORD + "\"}").status()).isEqualTo(202);
        assertThat(browser.postJson(MfaPaths.API_CHALLENGE, "{\"code\":\"" + TestTotp.code(secret, server.clock.instant()) + "\"}").status()).isEqualTo(200);
        Flow flow = request(Session.ACR_MULTI_FACTOR, null);
        var authorized = browser.get(flow.request().toURI().toString());
        assertThat(authorized.status()).isEqualTo(303);
        JWTClaimsSet id = idTokenFrom(authorized.location().orElseThrow(), flow.verifier());
        assertThat(id.getStringClaim("acr")).isEqualTo(Session.ACR_MULTI_FACTOR);
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
    }

    @Test
    void authorizeWhenOnlyThePasswordStepIsDoneThenTheRequestWaitsForALoginAndNoCodeIsIssued() {
        String email = "acr-half-" + store() + "@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        enrollTotp(server.apiLogin(email, TestServer.PASSWORD));
        TestHttp half = server.client();
        assertThat(half.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + TestServer.PASSWORD + "\"}").status()).isEqualTo(202);
        var authorized = half.get(request(null, null).request().toURI().toString());
        assertThat(authorized.status()).isEqualTo(303);
        assertThat(authorized.location().orElseThrow()).startsWith("/login?returnTo=").doesNotContain("code=");
        var silent = half.get(request(null, new Prompt(Prompt.Type.NONE)).request().toURI().toString());
        assertThat(silent.location().orElseThrow()).startsWith(REDIRECT.toString()).contains("error=login_required").doesNotContain("code=");
    }

    @Test
    void idTokenWhenTheUserHasNoSecondFactorThenAcrValuesDoNotBlockAndTheTokenSaysSingleFactorTruthfully() throws Exception {
        String email = "acr-pwd-" + store() + "@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        TestHttp browser = server.apiLogin(email, TestServer.PASSWORD);
        Flow flow = request(Session.ACR_MULTI_FACTOR, null);
        var authorized = browser.get(flow.request().toURI().toString());
        JWTClaimsSet id = idTokenFrom(authorized.location().orElseThrow(), flow.verifier());
        assertThat(id.getStringClaim("acr")).isEqualTo(Session.ACR_SINGLE_FACTOR);
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd");
    }

    @Test
    void authorizeWhenAcrValuesAskForMfaAndTheSessionHasOnlyAPasswordThenStepUpAndBackToTheClientWithAMultiFactorToken() throws Exception {
        String email = "acr-stepup-" + store() + "@example.org";
        server.registerVerified(email, TestServer.PASSWORD);
        TestHttp older = server.apiLogin(email, TestServer.PASSWORD);     // a password-only session from before the enrollment
        String secret = enrollTotp(server.apiLogin(email, TestServer.PASSWORD));

        Flow silent = request(Session.ACR_MULTI_FACTOR, new Prompt(Prompt.Type.NONE));
        var refused = older.get(silent.request().toURI().toString());
        assertThat(AuthenticationResponseParser.parse(URI.create(refused.location().orElseThrow())).toErrorResponse().getErrorObject().getCode())
                .isEqualTo("login_required");

        Flow flow = request(Session.ACR_MULTI_FACTOR, null);
        var authorized = older.get(flow.request().toURI().toString());
        assertThat(authorized.status()).isEqualTo(303);
        String stepUpUrl = authorized.location().orElseThrow();
        assertThat(stepUpUrl).startsWith(MfaPaths.STEP_UP + "?returnTo=");
        var page = older.get(stepUpUrl);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Code from your authenticator app");
        String returnTo = java.net.URLDecoder.decode(stepUpUrl.substring(stepUpUrl.indexOf('=') + 1), java.nio.charset.StandardCharsets.UTF_8);
        var wrong = older.postForm(MfaPaths.STEP_UP, Map.of("code", "abcdef", "returnTo", returnTo));
        assertThat(wrong.status()).isEqualTo(401);
        var stepped = older.postForm(MfaPaths.STEP_UP, Map.of("code", TestTotp.code(secret, server.clock.instant()), "returnTo", returnTo));
        assertThat(stepped.status()).as(stepped.body()).isEqualTo(303);
        assertThat(stepped.location()).hasValue(returnTo);
        var resumed = older.get(returnTo);
        assertThat(resumed.status()).isEqualTo(303);
        JWTClaimsSet id = idTokenFrom(resumed.location().orElseThrow(), flow.verifier());
        assertThat(id.getStringClaim("acr")).isEqualTo(Session.ACR_MULTI_FACTOR);
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
    }
}
