package dev.doorman.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientRulesTest {
    private static ClientRules.Validation.Valid valid(ClientRegistration r) {
        var v = ClientRules.validate(r);
        assertThat(v).isInstanceOf(ClientRules.Validation.Valid.class);
        return (ClientRules.Validation.Valid) v;
    }

    private static List<String> problems(ClientRegistration r) {
        var v = ClientRules.validate(r);
        assertThat(v).isInstanceOf(ClientRules.Validation.Invalid.class);
        return ((ClientRules.Validation.Invalid) v).problems().stream().map(ClientProblem::toString).toList();
    }

    @Test
    void validateWhenConfidentialWithDefaultsThenSecretBasicCodeAndRefreshOpenidAndConsent() {
        RegisteredClient client = valid(TestClients.confidential().build()).client();

        assertThat(client.id().getValue()).isEqualTo("s6BhdRkqt3");
        assertThat(client.authMethod()).isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        assertThat(client.grantTypes()).containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
        assertThat(client.scope()).isEqualTo(new Scope("openid"));
        assertThat(client.consentRequired()).isTrue();
        assertThat(client.allowsRedirect(java.net.URI.create(TestClients.REDIRECT))).isTrue();
    }

    @Test
    void validateWhenPublicNativeAppThenNoneAndLoopbackAndPrivateUseSchemeAccepted() {
        RegisteredClient client = valid(TestClients.publicApp().consentRequired(false).build()).client();

        assertThat(client.confidential()).isFalse();
        assertThat(client.authMethod()).isEqualTo(ClientAuthenticationMethod.NONE);
        assertThat(client.consentRequired()).isFalse();
    }

    @Test
    void validateWhenServiceClientWithClientCredentialsOnlyThenNoRedirectUrisNeededAndNoDefaultScope() {
        RegisteredClient client = valid(ClientRegistration.confidential("Billing job").id("billing-job").grantType("client_credentials")
                .scope("invoices:write").audience("https://payments.example.org").build()).client();

        assertThat(client.grantTypes()).containsExactly(GrantType.CLIENT_CREDENTIALS);
        assertThat(client.redirectUris()).isEmpty();
        assertThat(client.scope()).isEqualTo(new Scope("invoices:write"));
        assertThat(client.audiences()).extracting(a -> a.getValue()).containsExactly("https://payments.example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "-client", ".client", "client id", "client/1", "cliënt", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "client\tid"})
    void validateWhenClientIdBreaksThePatternThenClientIdProblem(String id) {
        assertThat(problems(TestClients.confidential().id(id).build()))
                .singleElement().asString().startsWith("clientId: ").contains("is not a client id: 3 to 64 letters, digits and . _ -");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3f2b8c1e-6d4a-4f7b-9c2e-1a5d7e9f0b3c", "3F2B8C1E-6D4A-4F7B-9C2E-1A5D7E9F0B3C", "3f2b8c1e6d4a4f7b9c2e1a5d7e9f0b3c"})
    void validateWhenClientIdLooksLikeUuidThenRefusedBecauseItCouldBeAUserSub(String id) {
        assertThat(problems(TestClients.confidential().id(id).build()))
                .containsExactly("clientId: \"" + id + "\" looks like a UUID: user ids are UUIDs, and a client_id must never equal a user's sub (RFC 9700 §4.15)");
    }

    @Test
    void validateWhenEveryRedirectUriKindIsBadThenEachNamedWithItsIndexAndRule() {
        var r = ClientRegistration.confidential("Bad").id("bad-app")
                .redirectUri("http://app.example.org/cb").redirectUri("http://localhost:8080/cb").redirectUri("https://app.example.org/cb#x")
                .redirectUri("https://evil@app.example.org/cb").redirectUri("https://*.example.org/cb").redirectUri("javascript:alert(1)")
                .redirectUri("data:text/html;base64,PHNjcmlwdD4=").redirectUri("vbscript:x").redirectUri("file:///etc/passwd")
                .redirectUri("/relative").redirectUri("https://app.example.org/ok").redirectUri("https://app.example.org/ok").build();

        assertThat(problems(r)).containsExactly(
                "redirectUris[0]: \"http://app.example.org/cb\" http is allowed only for loopback redirects (http://127.0.0.1 or http://[::1], RFC 8252 §7.3): use https",
                "redirectUris[1]: \"http://localhost:8080/cb\" http://localhost is not allowed (RFC 8252 §8.3): use http://127.0.0.1 or http://[::1]",
                "redirectUris[2]: \"https://app.example.org/cb#x\" must not have a fragment (RFC 6749 §3.1.2)",
                "redirectUris[3]: \"https://evil@app.example.org/cb\" must not contain user information (user@host)",
                "redirectUris[4]: \"https://*.example.org/cb\" must not contain a wildcard (*): redirect URIs are compared exactly",
                "redirectUris[5]: \"javascript:alert(1)\" the javascript: scheme is never allowed",
                "redirectUris[6]: \"data:text/html;base64,PHNjcmlwdD4=\" the data: scheme is never allowed",
                "redirectUris[7]: \"vbscript:x\" the vbscript: scheme is never allowed",
                "redirectUris[8]: \"file:///etc/passwd\" the file: scheme is never allowed",
                "redirectUris[9]: \"/relative\" must be an absolute URI with a scheme such as https:",
                "redirectUris[11]: \"https://app.example.org/ok\" is listed twice");
    }

    @Test
    void validateWhenCodeGrantWithoutRedirectUriOrRedirectUriWithoutCodeGrantThenRefused() {
        assertThat(problems(ClientRegistration.confidential("No redirect").id("no-redirect").build()))
                .containsExactly("redirectUris: at least one is needed for the authorization_code grant");
        assertThat(problems(ClientRegistration.confidential("Job").id("job-1").grantType("client_credentials").redirectUri(TestClients.REDIRECT).build()))
                .containsExactly("redirectUris: only the authorization_code grant uses redirect URIs: remove them or add that grant");
    }

    @Test
    void validateWhenGrantTypesBreakTheRulesThenEachNamed() {
        assertThat(problems(TestClients.confidential().grantType("implicit").grantType("password").build())).containsExactly(
                "grantTypes[0]: \"implicit\" is not supported (allowed: authorization_code, refresh_token, client_credentials)",
                "grantTypes[1]: \"password\" is not supported (allowed: authorization_code, refresh_token, client_credentials)",
                "redirectUris: only the authorization_code grant uses redirect URIs: remove them or add that grant");
        assertThat(problems(ClientRegistration.confidential("Job").id("job-1").grantType("refresh_token").grantType("client_credentials").build()))
                .containsExactly("grantTypes: refresh_token needs authorization_code (refresh tokens come only from a user's authorization)");
        assertThat(problems(TestClients.publicApp().grantType("authorization_code").grantType("client_credentials").build()))
                .containsExactly("grantTypes: a public client cannot use client_credentials: it has no credentials");
        assertThat(problems(TestClients.confidential().grantType("authorization_code").grantType("authorization_code").build()))
                .containsExactly("grantTypes[1]: \"authorization_code\" is listed twice");
    }

    @Test
    void validateWhenAuthMethodDoesNotFitTheClientThenRefused() {
        assertThat(problems(TestClients.publicApp().authMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC).build()))
                .containsExactly("authMethod: a public client has no credentials and authenticates with none, not client_secret_basic");
        assertThat(problems(TestClients.confidential().authMethod(ClientAuthenticationMethod.NONE).build()))
                .containsExactly("authMethod: a confidential client must authenticate: none is only for public clients");
        assertThat(problems(TestClients.confidential().authMethod(ClientAuthenticationMethod.CLIENT_SECRET_JWT).build()))
                .containsExactly("authMethod: \"client_secret_jwt\" is not supported (use client_secret_basic, client_secret_post or private_key_jwt; none for a public client)");
    }

    @Test
    void validateWhenPrivateKeyJwtWithPublicKeysThenAcceptedAndKeysKept() throws JOSEException {
        RSAKey rsa = TestClients.rsaKey("rsa-1");
        var ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        String jwks = new JWKSet(List.of(rsa, ec)).toString(true);

        var v = valid(TestClients.confidential().authMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT).jwks(jwks).build());

        assertThat(v.client().authMethod()).isEqualTo(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        assertThat(v.jwks().orElseThrow().getKeys()).extracting(k -> k.getKeyID()).containsExactly("rsa-1", "ec-1");
    }

    @Test
    void validateWhenJwksMissingMisplacedOrUnsafeThenRefused() throws JOSEException {
        var keyJwt = TestClients.confidential().authMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        assertThat(problems(keyJwt.build())).containsExactly("jwks: missing: a private_key_jwt client needs its public keys (a JWK set)");
        assertThat(problems(TestClients.confidential().jwks(TestClients.publicJwks(TestClients.rsaKey("k"))).build()))
                .containsExactly("jwks: only a private_key_jwt client has a JWK set");

        RSAKey withPrivate = TestClients.rsaKey("private-1");
        assertThat(problems(TestClients.confidential().authMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .jwks(new JWKSet(withPrivate).toString(false)).build()))
                .containsExactly("jwks: key \"private-1\" has private parts: register the public key only");
        RSAKey small = new RSAKeyGenerator(1024, true).keyID("small").generate();
        OctetSequenceKey hmac = new OctetSequenceKeyGenerator(256).keyID("hmac").generate();
        var p384 = new ECKeyGenerator(Curve.P_384).keyID("p384").generate();
        RSAKey encryption = new RSAKeyGenerator(2048).keyID("enc").keyUse(KeyUse.ENCRYPTION).generate();
        var ed25519 = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed").generate();
        RSAKey rs512 = new RSAKeyGenerator(2048).keyID("rs512").algorithm(com.nimbusds.jose.JWSAlgorithm.RS512).generate();
        String unsafe = "{\"keys\":[" + small.toPublicJWK().toJSONString() + "," + hmac.toJSONString() + ","
                + p384.toPublicJWK().toJSONString() + "," + encryption.toPublicJWK().toJSONString() + ","
                + ed25519.toPublicJWK().toJSONString() + "," + rs512.toPublicJWK().toJSONString() + "]}";
        assertThat(problems(TestClients.confidential().authMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT).jwks(unsafe).build()))
                .containsExactly(
                        "jwks: key \"small\" is an RSA key of 1024 bits: at least 2048",
                        "jwks: key \"hmac\" has private parts: register the public key only",
                        "jwks: key \"p384\" is on curve P-384: only P-256 (ES256)",
                        "jwks: key \"enc\" has use \"enc\", not sig",
                        "jwks: key \"ed\" is of type OKP: only RSA (RS256, PS256) and EC P-256 (ES256) public keys",
                        "jwks: key \"rs512\" has alg \"RS512\": allowed are RS256, PS256, ES256");
        assertThat(problems(TestClients.confidential().authMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT).jwks("{\"keys\": 1}").build()))
                .singleElement().asString().startsWith("jwks: not a JWK set: ");
    }

    @Test
    void validateWhenScopesAudiencesNameAndLifetimesAreBadThenEachNamed() {
        var r = ClientRegistration.confidential(" ").id("s6BhdRkqt3").redirectUri(TestClients.REDIRECT)
                .scope("openid").scope("bad scope").scope("openid").audience("has space")
                .accessTokenTtl(Duration.ofHours(2)).refreshTokenTtl(Duration.ZERO).build();

        assertThat(problems(r)).containsExactly(
                "name: missing",
                "scopes[1]: \"bad scope\" is not a scope: 1 to 128 printable ASCII characters without spaces, \" or \\ (RFC 6749 §3.3)",
                "scopes[2]: \"openid\" is listed twice",
                "audiences[0]: \"has space\" is not an audience: 1 to 255 printable ASCII characters without spaces",
                "accessTokenTtl: must be positive and at most PT1H, got PT2H",
                "refreshTokenTtl: must be positive and at most PT8760H, got PT0S");
    }
}
