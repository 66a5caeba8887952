package dev.doorman.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Object mothers, with the RFCs' example values (RFC 6749's client s6BhdRkqt3 and its redirect URI). */
final class TestClients {
    static final String REDIRECT = "https://client.example.org/cb";

    private TestClients() {
    }

    static ClientRegistration.Builder confidential() {
        return ClientRegistration.confidential("Example web app").id("s6BhdRkqt3").redirectUri(REDIRECT);
    }

    static ClientRegistration.Builder publicApp() {
        return ClientRegistration.publicClient("Example native app").id("com.example.app").redirectUri("com.example.app:/callback")
                .redirectUri("http://127.0.0.1/callback");
    }

    static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String publicJwks(RSAKey... keys) {
        return new JWKSet(List.of(keys)).toString(true);
    }

    /** A stored client with every field set, as a store test wants it. */
    static StoredClient stored(String id, String secretHash, Instant at) {
        var client = new RegisteredClient(new ClientID(id), "Example " + id, true, ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                List.of(URI.create(REDIRECT), URI.create("http://127.0.0.1/cb?x=1")),
                Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS),
                new Scope("openid", "profile", "notes:read"), List.of(new Audience("https://notes.example.org"), new Audience("tasks-api")),
                Optional.of(Duration.ofMinutes(10)), Optional.of(Duration.ofDays(7)), false);
        return new StoredClient(client, Optional.of(secretHash), Optional.empty(), at, at);
    }
}
