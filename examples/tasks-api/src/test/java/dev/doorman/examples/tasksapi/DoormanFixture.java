package dev.doorman.examples.tasksapi;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import dev.doorman.TestServer;
import dev.doorman.account.RoleStore;
import dev.doorman.client.ClientRegistration;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Doorman and the clients that call the tasks API, registered as an operator would
 * ({@code client create ... --audience tasks-api}); tokens are obtained over HTTP exactly as those clients obtain
 * them: the authorization-code flow with PKCE for people, client credentials for machines.
 */
final class DoormanFixture implements AutoCloseable {
    static final String API = "tasks-api";
    static final URI REDIRECT = URI.create("https://tasks.example.org/callback");
    private static final AtomicInteger USERS = new AtomicInteger();

    final TestServer server;
    /** The web front end people use: their tokens name the tasks API in {@code aud}. */
    final ClientSecretBasic web;
    /** A machine caller (a reporting bot) with its own client-credentials tokens for the tasks API. */
    final ClientSecretBasic bot;
    /** A client whose tokens are for another API (payments-api), though it asks for the same scope names. */
    final ClientSecretBasic otherApi;

    /** A person with an account at Doorman: their {@code sub}, and a browser session there. */
    record Person(String sub, String email, TestServer server) {
        String member() {
            return "user:" + sub;
        }
    }

    DoormanFixture() {
        server = TestServer.start(TestServer.Store.SQLITE);
        server.clock.set(Instant.now());   // the API checks exp and iat against the real clock
        web = new ClientSecretBasic(new ClientID("tasks-web"), server.createClient(ClientRegistration.confidential("Tasks web")
                .id("tasks-web").redirectUri(REDIRECT.toString()).grantType("authorization_code").grantType("refresh_token")
                .scope("openid").scope(TasksApi.READ_SCOPE).scope(TasksApi.WRITE_SCOPE).audience(API).consentRequired(false).build())
                .secret().orElseThrow());
        bot = new ClientSecretBasic(new ClientID("tasks-bot"), server.createClient(ClientRegistration.confidential("Tasks bot")
                .id("tasks-bot").grantType("client_credentials").scope(TasksApi.READ_SCOPE).scope(TasksApi.WRITE_SCOPE).audience(API).build())
                .secret().orElseThrow());
        otherApi = new ClientSecretBasic(new ClientID("payments-bot"), server.createClient(ClientRegistration.confidential("Payments bot")
                .id("payments-bot").grantType("client_credentials").scope(TasksApi.READ_SCOPE).scope(TasksApi.WRITE_SCOPE)
                .audience("payments-api").build()).secret().orElseThrow());
    }

    URI issuer() {
        return URI.create(server.baseUrl);
    }

    /** A verified account holding {@code roles} at Doorman (which end up in its tokens' {@code roles} claim). */
    Person person(String name, String... roles) {
        String email = name + "-" + USERS.incrementAndGet() + "@example.org";
        var user = server.createVerifiedUser(email, name);
        if (roles.length > 0) {
            for (String role : roles) server.doorman.roles().save(new RoleStore.Role(role, Optional.empty()));
            server.doorman.roles().setRoles(user.id(), Set.of(roles));
        }
        return new Person(user.id().toString(), email, server);
    }

    /** The person's access token for {@code scope}: logs in, then authorize (as their browser) and the token endpoint. */
    String userToken(Person person, String scope) {
        try {
            var browser = server.apiLogin(person.email(), TestServer.PASSWORD);
            var verifier = new CodeVerifier();
            var request = new AuthenticationRequest.Builder(ResponseType.CODE, Scope.parse(scope), web.getClientID(), REDIRECT)
                    .endpointURI(URI.create(server.baseUrl + "/oauth2/authorize")).state(new State())
                    .codeChallenge(verifier, CodeChallengeMethod.S256).build();
            var authorized = browser.get(request.toURI().toString());
            assertThat(authorized.status()).as(authorized.body()).isIn(302, 303);
            var code = AuthenticationResponseParser.parse(URI.create(authorized.location().orElseThrow())).toSuccessResponse()
                    .getAuthorizationCode();
            var response = OIDCTokenResponseParser.parse(new TokenRequest(URI.create(server.baseUrl + "/oauth2/token"), web,
                    new AuthorizationCodeGrant(code, REDIRECT, verifier)).toHTTPRequest().send());
            assertThat(response.indicatesSuccess()).as(response.toString()).isTrue();
            return response.toSuccessResponse().getTokens().getAccessToken().getValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client-credentials token of {@code client}. */
    String clientToken(ClientSecretBasic client, String scope) {
        try {
            var response = TokenResponse.parse(new TokenRequest(URI.create(server.baseUrl + "/oauth2/token"), client,
                    new ClientCredentialsGrant(), Scope.parse(scope)).toHTTPRequest().send());
            assertThat(response.indicatesSuccess()).as(response.toString()).isTrue();
            return ((AccessTokenResponse) response).getTokens().getAccessToken().getValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Revokes an access token at Doorman's revocation endpoint (RFC 7009), as the client that holds it. */
    void revoke(ClientSecretBasic client, String accessToken) {
        try {
            int status = new TokenRevocationRequest(URI.create(server.baseUrl + "/oauth2/revoke"), client, new BearerAccessToken(accessToken))
                    .toHTTPRequest().send().getStatusCode();
            assertThat(status).isEqualTo(200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean closed;

    /** Stops Doorman (once; a test may stop it early to see the API fail closed). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        server.close();
    }
}
