package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCScopeValue;
import dev.doorman.account.RoleStore;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.client.RegisteredClient;
import dev.doorman.oauth2.Authentication;
import dev.doorman.oauth2.GrantId;
import dev.doorman.oauth2.OAuth2Settings;
import dev.doorman.session.SessionId;
import dev.doorman.support.Secrets;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the grant handlers issue, minted one way: access tokens (recorded in the ledger with what they were issued
 * under), ID tokens with the claims the scope grants, and opaque refresh tokens stored hashed.
 */
public final class TokenFactory {
    /** The longest access-token lifetime Doorman issues, whatever a client's override says. */
    public static final Duration MAX_ACCESS_TOKEN_TTL = Duration.ofHours(1);

    private final TokenIssuer issuer;
    private final AccessTokenLedger ledger;
    private final RefreshTokenStore refreshTokens;
    private final RoleStore roles;
    private final OAuth2Settings settings;
    private final Secrets secrets;
    private final Clock clock;

    public TokenFactory(TokenIssuer issuer, AccessTokenLedger ledger, RefreshTokenStore refreshTokens, RoleStore roles,
                        OAuth2Settings settings, Secrets secrets, Clock clock) {
        this.issuer = issuer;
        this.ledger = ledger;
        this.refreshTokens = refreshTokens;
        this.roles = roles;
        this.settings = settings;
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * Who an access token for a user speaks for: the user, with how and when they authenticated for the grant
     * (empty when that is unknown, and then claimed not at all).
     */
    public TokenIssuer.Principal.User principal(UserId user, Optional<Authentication> authentication, Optional<SessionId> session) {
        return new TokenIssuer.Principal.User(user.toString(), authentication, session.map(SessionId::toString),
                roles.rolesOf(user).stream().sorted().toList());
    }

    /** An access token for a user, recorded in the ledger under its grant and family. */
    public TokenIssuer.AccessToken userAccessToken(RegisteredClient client, TokenIssuer.Principal.User principal, Scope scope,
                                                   GrantId grant, Optional<FamilyId> family, UserId user, Optional<SessionId> session) {
        var token = issuer.accessToken(principal, client.id(), audiences(client, scope), scope, accessTokenTtl(client));
        ledger.save(new IssuedAccessToken(new JWTID(token.jti()), grant, family, client.id(), Optional.of(user), session, token.expiresAt()));
        return token;
    }

    /** A client-credentials access token: the client speaks for itself, no user claims (OA-24). */
    public TokenIssuer.AccessToken clientAccessToken(RegisteredClient client, Scope scope, GrantId grant) {
        var token = issuer.accessToken(new TokenIssuer.Principal.Client(), client.id(), audiences(client, scope), scope, accessTokenTtl(client));
        ledger.save(new IssuedAccessToken(new JWTID(token.jti()), grant, Optional.empty(), client.id(), Optional.empty(), Optional.empty(),
                token.expiresAt()));
        return token;
    }

    /** An ID token beside {@code accessToken}, with the standard claims the scope grants (OIDC Core §5.4). */
    public String idToken(RegisteredClient client, TokenIssuer.Principal.User principal, User user, Scope scope, Optional<Nonce> nonce,
                          TokenIssuer.AccessToken accessToken) {
        return issuer.idToken(principal, client.id(), nonce, Optional.of(accessToken), accessTokenTtl(client), claimsFor(user, scope));
    }

    /** A refresh token as issued: the opaque value, which exists only in the response, and its family. */
    public record NewRefreshToken(String value, FamilyId family) {
        @Override
        public String toString() {
            return "NewRefreshToken[family=" + family + "]";
        }
    }

    /** A new refresh-token family, which keeps {@code authentication} for the tokens each of its refreshes issues. */
    public NewRefreshToken firstRefreshToken(RegisteredClient client, GrantId grant, UserId user, Optional<SessionId> session,
                                             Authentication authentication, Scope scope) {
        String value = secrets.newToken();
        Duration absolute = client.refreshTokenTtl().orElse(settings.refreshTokenAbsoluteTtl());
        Duration idle = absolute.compareTo(settings.refreshTokenIdleTtl()) < 0 ? absolute : settings.refreshTokenIdleTtl();
        var token = RefreshToken.first(Secrets.hash(value), grant, client.id(), Optional.of(user), session, authentication, scope,
                clock.instant(), idle, absolute);
        refreshTokens.save(token);
        return new NewRefreshToken(value, token.family());
    }

    public Duration refreshIdleTtl() {
        return settings.refreshTokenIdleTtl();
    }

    /** The standard claims a scope grants, for the ID token and userinfo: {@code email} and {@code profile} (name). */
    public static Map<String, Object> claimsFor(User user, Scope scope) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (scope.contains(OIDCScopeValue.EMAIL)) {
            claims.put("email", user.email().value());
            claims.put("email_verified", user.emailVerified());
        }
        if (scope.contains(OIDCScopeValue.PROFILE)) user.name().ifPresent(name -> claims.put("name", name));
        return claims;
    }

    /**
     * The client's registered APIs; Doorman itself when it has none, and also when {@code openid} is granted, since
     * userinfo is then an API the token is for (and userinfo accepts only tokens naming it, JW-05).
     */
    private List<Audience> audiences(RegisteredClient client, Scope scope) {
        var self = new Audience(issuer.issuer().getValue());
        if (client.audiences().isEmpty()) return List.of(self);
        if (!scope.contains(OIDCScopeValue.OPENID) || client.audiences().contains(self)) return client.audiences();
        var withSelf = new java.util.ArrayList<>(client.audiences());
        withSelf.add(self);
        return List.copyOf(withSelf);
    }

    private Duration accessTokenTtl(RegisteredClient client) {
        Duration ttl = client.accessTokenTtl().orElse(settings.accessTokenTtl());
        return ttl.compareTo(MAX_ACCESS_TOKEN_TTL) > 0 ? MAX_ACCESS_TOKEN_TTL : ttl;
    }
}
