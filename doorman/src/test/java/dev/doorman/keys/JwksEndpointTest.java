package dev.doorman.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import dev.doorman.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.text.ParseException;

import static org.assertj.core.api.Assertions.assertThat;

/** The JWKS endpoint over HTTP on a real server, wired as production wires it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwksEndpointTest {
    private TestServer server;

    @BeforeAll
    void startServer() {
        server = TestServer.start(TestServer.Store.SQLITE);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @Test
    void getJwksWhenServerRunsThenPublicSigningKeysAsCacheableJwkSetJson() throws ParseException {
        var response = server.client().get(KeysPaths.JWKS);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).contains("application/jwk-set+json; charset=utf-8");
        assertThat(response.header("Cache-Control")).contains("public, max-age=300");
        assertThat(response.header("Pragma")).isEmpty();
        assertThat(response.header("X-Content-Type-Options")).contains("nosniff");
        var keys = response.json().get("keys");
        assertThat(keys).hasSizeGreaterThanOrEqualTo(2);
        keys.forEach(key -> {
            assertThat(key.path("kid").asText()).isNotEmpty();
            assertThat(key.path("alg").asText()).isEqualTo("RS256");
            assertThat(key.path("use").asText()).isEqualTo("sig");
            for (String member : new String[]{"d", "p", "q", "dp", "dq", "qi"}) assertThat(key.has(member)).as(member).isFalse();
        });
        JWKSet jwks = JWKSet.parse(response.body());
        assertThat(jwks.getKeys()).allSatisfy(jwk -> assertThat(jwk.getKeyUse()).isEqualTo(KeyUse.SIGNATURE));
    }

    @Test
    void getJwksWhenATokenIsSignedThenItVerifiesAgainstTheServedKeys() throws Exception {
        var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("248289761001")
                .issueTime(java.util.Date.from(server.clock.instant()))
                .expirationTime(java.util.Date.from(server.clock.instant().plusSeconds(300))).jwtID("a1").build();
        String token = server.doorman.tokenSigner().sign(claims, KeysHarness.AT_JWT).serialize();

        JWKSet served = JWKSet.parse(server.client().get(KeysPaths.JWKS).body());

        assertThat(KeysHarness.verify(token, served, JWSAlgorithm.RS256, server.clock).getSubject()).isEqualTo("248289761001");
    }

    @Test
    void postJwksWhenSentThen405AndNotCacheable() {
        var response = server.client().postJson(KeysPaths.JWKS, "{}");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Cache-Control")).contains("no-store");
    }
}
