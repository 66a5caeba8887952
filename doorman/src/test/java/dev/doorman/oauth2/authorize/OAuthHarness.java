package dev.doorman.oauth2.authorize;

import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.doorman.TestServer;
import dev.doorman.client.ClientRegistration;
import dev.doorman.client.CreateClientOutcome;
import dev.doorman.support.ClientInfo;
import dev.doorman.testkit.TestHttp;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Clients, users and authorization URLs for the front-channel tests, over a real {@link TestServer}. */
public final class OAuthHarness {
    public static final String REDIRECT = "https://app.example/cb";
    public static final String LOOPBACK = "http://127.0.0.1/cb";
    public static final CodeVerifier VERIFIER = new CodeVerifier("dBjftJeZ4CVP-mJ92K9qsyBcOgvE6kGUDk7rp3z_a_lzN2gsL8XhbkiyEl2o5kQOpNHOjL_A");
    public static final String CHALLENGE = CodeChallenge.compute(CodeChallengeMethod.S256, VERIFIER).getValue();
    private static final AtomicInteger USERS = new AtomicInteger();

    private final TestServer server;

    public OAuthHarness(TestServer server) {
        this.server = server;
    }

    public ClientID client(boolean consentRequired) {
        return client(b -> b.consentRequired(consentRequired));
    }

    public ClientID client(UnaryOperator<ClientRegistration.Builder> customize) {
        var builder = ClientRegistration.publicClient("Notes app").redirectUri(REDIRECT).redirectUri(LOOPBACK)
                .scope("openid").scope("profile").scope("email");
        var outcome = server.doorman.clientService().create(customize.apply(builder).build(), ClientInfo.unknown());
        assertThat(outcome).isInstanceOf(CreateClientOutcome.Created.class);
        return ((CreateClientOutcome.Created) outcome).client().id();
    }

    /** A new verified user, logged in through the API. */
    public TestHttp loggedIn() {
        return server.apiLogin(newUser(), TestServer.PASSWORD);
    }

    public String newUser() {
        String email = "user" + USERS.incrementAndGet() + "-" + System.nanoTime() + "@example.com";
        server.registerVerified(email, TestServer.PASSWORD);
        return email;
    }

    /** The parameters of a valid code request, in order; change them with {@code put}/{@code remove}. */
    public static Map<String, String> params(ClientID client) {
        var p = new LinkedHashMap<String, String>();
        p.put("response_type", "code");
        p.put("client_id", client.getValue());
        p.put("redirect_uri", REDIRECT);
        p.put("scope", "openid profile");
        p.put("state", "xyz");
        p.put("code_challenge", CHALLENGE);
        p.put("code_challenge_method", "S256");
        return p;
    }

    public static String authorize(Map<String, String> params) {
        var query = new StringJoiner("&");
        params.forEach((k, v) -> query.add(encode(k) + "=" + encode(v)));
        return "/oauth2/authorize?" + query;
    }

    public static Map<String, List<String>> query(String location) {
        return URLUtils.parseParameters(URI.create(location).getRawQuery());
    }

    public static String single(String location, String name) {
        List<String> values = query(location).get(name);
        assertThat(values).as(name + " in " + location).hasSize(1);
        return values.getFirst();
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
