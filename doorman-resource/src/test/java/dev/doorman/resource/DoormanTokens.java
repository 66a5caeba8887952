package dev.doorman.resource;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.oauth2.sdk.token.Tokens;
import dev.doorman.TestServer;
import dev.doorman.account.RoleStore;
import dev.doorman.account.UserId;
import dev.doorman.client.ClientRegistration;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens from a real Doorman server, obtained over HTTP as clients obtain them: client credentials for a service,
 * the authorization-code flow with PKCE for a logged-in user. Its clients' tokens are for the API {@code tasks-api}.
 */
final class DoormanTokens {
    static final String API = "tasks-api";
    static final URI REDIRECT = URI.create("https://tasks.example.org/callback");

    final TestServer server;
    final ClientSecretBasic worker;
    final ClientSecretBasic web;
    final ClientSecretBasic other;
    final Secret apiSecret;

    DoormanTokens(TestServer server) {
        this.server = server;
        worker = new ClientSecretBasic(new ClientID("tasks-worker"), server.createClient(ClientRegistration.confidential("Tasks worker")
                .id("tasks-worker").grantType("client_credentials").scope("tasks:read").scope("tasks:write").audience(API).build())
                .secret().orElseThrow());
        web = new ClientSecretBasic(new ClientID("tasks-web"), server.createClient(ClientRegistration.confidential("Tasks web")
                .id("tasks-web").redirectUri(REDIRECT.toString()).grantType("authorization_code").grantType("refresh_token")
                .scope("openid").scope("tasks:read").audience(API).consentRequired(false).build()).secret().orElseThrow());
        other = new ClientSecretBasic(new ClientID("payments-worker"), server.createClient(ClientRegistration.confidential("Payments worker")
                .id("payments-worker").grantType("client_credentials").scope("payments:read").audience("payments-api").build())
                .secret().orElseThrow());
        // The API's own registration, with which it may introspect tokens naming it in their audience.
        apiSecret = server.createClient(ClientRegistration.confidential("Tasks API").id(API).grantType("client_credentials")
                .scope("introspect").build()).secret().orElseThrow();
    }

    URI issuer() {
        return URI.create(server.baseUrl);
    }

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

    /** A user registered and logged in, holding {@code roles}. */
    TestServer.LoggedIn user(String email, Set<String> roles) {
        var user = server.registerAndLogIn(email);
        for (String role : roles) server.doorman.roles().save(new RoleStore.Role(role, Optional.empty()));
        server.doorman.roles().setRoles(user.user(), roles);
        return user;
    }

    /** The user's tokens for {@code tasks-web} through authorize (as the logged-in browser) and the token endpoint. */
    Tokens userTokens(TestServer.LoggedIn user, String scope) {
        try {
            var verifier = new CodeVerifier();
            var request = new AuthenticationRequest.Builder(ResponseType.CODE, Scope.parse(scope), new ClientID("tasks-web"), REDIRECT)
                    .endpointURI(URI.create(server.baseUrl + "/oauth2/authorize")).state(new State())
                    .codeChallenge(verifier, CodeChallengeMethod.S256).build();
            var authorized = user.http().get(request.toURI().toString());
            assertThat(authorized.status()).as(authorized.body()).isIn(302, 303);
            var code = AuthenticationResponseParser.parse(URI.create(authorized.location().orElseThrow())).toSuccessResponse()
                    .getAuthorizationCode();
            var response = OIDCTokenResponseParser.parse(new TokenRequest(URI.create(server.baseUrl + "/oauth2/token"), web,
                    new AuthorizationCodeGrant(code, REDIRECT, verifier)).toHTTPRequest().send());
            assertThat(response.indicatesSuccess()).as(response.toString()).isTrue();
            return response instanceof OIDCTokenResponse oidc ? oidc.getOIDCTokens() : response.toSuccessResponse().getTokens();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void revoke(ClientSecretBasic client, String accessToken) {
        try {
            int status = new TokenRevocationRequest(URI.create(server.baseUrl + "/oauth2/revoke"), client, new BearerAccessToken(accessToken))
                    .toHTTPRequest().send().getStatusCode();
            assertThat(status).isEqualTo(200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String userId(TestServer.LoggedIn user) {
        UserId id = user.user();
        return id.toString();
    }
}
