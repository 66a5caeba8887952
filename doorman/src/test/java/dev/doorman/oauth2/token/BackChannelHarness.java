package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import dev.doorman.TestServer;
import dev.doorman.client.ClientRegistration;
import dev.doorman.client.CreateClientOutcome;
import dev.doorman.oauth2.Authentication;
import dev.doorman.oauth2.GrantId;
import dev.doorman.oauth2.OAuth2Paths;
import dev.doorman.oauth2.code.CodeGrant;
import dev.doorman.support.Secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * Drives Doorman's back channel with the Nimbus SDK's client side. Codes are saved through the CodeStore for a
 * logged-in user's real session, as the authorize endpoint would.
 */
final class BackChannelHarness {
    static final URI REDIRECT = URI.create("https://client.example.org/cb");
    private static final Secrets SECRETS = new Secrets(new SecureRandom());

    final TestServer server;

    BackChannelHarness(TestServer server) {
        this.server = server;
    }

    record Client(ClientID id, Optional<Secret> secret) {
        ClientAuthentication basic() {
            return new ClientSecretBasic(id, secret.orElseThrow());
        }
    }

    Client confidential(String... grants) {
        var builder = ClientRegistration.confidential("Back-channel test app");
        if (List.of(grants).contains("authorization_code")) builder.redirectUri(REDIRECT.toString());
        for (String scope : List.of("openid", "profile", "email", "notes:read", "notes:write")) builder.scope(scope);
        for (String g : grants) builder.grantType(g);
        CreateClientOutcome.Created created = server.createClient(builder.build());
        return new Client(created.client().id(), created.secret());
    }

    Client publicClient() {
        var builder = ClientRegistration.publicClient("Back-channel native app").redirectUri(REDIRECT.toString())
                .grantType("authorization_code").grantType("refresh_token");
        for (String scope : List.of("openid", "profile", "email", "notes:read")) builder.scope(scope);
        CreateClientOutcome.Created created = server.createClient(builder.build());
        return new Client(created.client().id(), created.secret());
    }

    /** A fresh code for the user's session, saved as the authorize endpoint would save it after a password login now. */
    String code(Client client, TestServer.LoggedIn user, Scope scope, CodeVerifier verifier, Optional<Nonce> nonce) {
        return code(client, user, scope, verifier, nonce, new Authentication(server.clock.instant(), List.of("pwd"), Optional.empty()));
    }

    /** A fresh code recording {@code authentication} as how the user authenticated. */
    String code(Client client, TestServer.LoggedIn user, Scope scope, CodeVerifier verifier, Optional<Nonce> nonce,
                Authentication authentication) {
        String code = SECRETS.newToken();
        var now = server.clock.instant();
        server.doorman.codes().save(Secrets.hash(code), new CodeGrant(GrantId.random().value(), client.id(), REDIRECT,
                CodeChallenge.compute(CodeChallengeMethod.S256, verifier), scope, nonce, user.user(), user.session(),
                authentication.authTime(), authentication.amr(), authentication.acr(), now.plusSeconds(60)));
        return code;
    }

    URI uri(String path) {
        return URI.create(server.baseUrl + path);
    }

    HTTPResponse token(Client client, AuthorizationGrant grant) {
        return token(client, grant, null);
    }

    HTTPResponse token(Client client, AuthorizationGrant grant, Scope scope) {
        TokenRequest request = client.secret().isPresent()
                ? new TokenRequest(uri(OAuth2Paths.TOKEN), client.basic(), grant, scope)
                : new TokenRequest(uri(OAuth2Paths.TOKEN), client.id(), grant, scope);
        return send(request.toHTTPRequest());
    }

    HTTPResponse redeem(Client client, String code, CodeVerifier verifier) {
        return token(client, new AuthorizationCodeGrant(new AuthorizationCode(code), REDIRECT, verifier));
    }

    HTTPResponse userInfo(String accessToken) {
        return send(new UserInfoRequest(uri(OAuth2Paths.USERINFO), new BearerAccessToken(accessToken)).toHTTPRequest());
    }

    HTTPResponse revoke(Client client, Token token) {
        var request = client.secret().isPresent()
                ? new TokenRevocationRequest(uri(OAuth2Paths.REVOKE), client.basic(), token)
                : new TokenRevocationRequest(uri(OAuth2Paths.REVOKE), client.id(), token);
        return send(request.toHTTPRequest());
    }

    HTTPResponse introspectRaw(Client caller, Token token) {
        return send(new TokenIntrospectionRequest(uri(OAuth2Paths.INTROSPECT), caller.basic(), token).toHTTPRequest());
    }

    TokenIntrospectionResponse introspect(Client caller, Token token) {
        try {
            return TokenIntrospectionResponse.parse(introspectRaw(caller, token));
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new AssertionError(e);
        }
    }

    static HTTPResponse send(com.nimbusds.oauth2.sdk.http.HTTPRequest request) {
        try {
            return request.send();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
