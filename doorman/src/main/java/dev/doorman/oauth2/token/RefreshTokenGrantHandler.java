package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.client.RegisteredClient;
import dev.doorman.session.Session;
import dev.doorman.session.SessionService;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;
import dev.doorman.support.Tx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code grant_type=refresh_token} (RFC 6749 §6): the token is bound to its client (OA-18), rotated atomically with
 * one winner (OA-15, OA-17), and a rotated token presented again revokes its whole family (OA-16). A requested
 * scope may only narrow the new access token; the family keeps its scope (OA-19).
 */
public final class RefreshTokenGrantHandler implements GrantHandler {
    private final RefreshTokenStore store;
    private final UserStore users;
    private final SessionService sessions;
    private final TokenFactory tokens;
    private final TokenRevoker revoker;
    private final Secrets secrets;
    private final AuditLog audit;
    private final Tx tx;

    /** @param tx the rotation and the issuance (or the reuse's revocation) run in one transaction */
    public RefreshTokenGrantHandler(RefreshTokenStore store, UserStore users, SessionService sessions, TokenFactory tokens,
                                    TokenRevoker revoker, Secrets secrets, AuditLog audit, Tx tx) {
        this.tx = tx;
        this.store = store;
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
        this.revoker = revoker;
        this.secrets = secrets;
        this.audit = audit;
    }

    @Override
    public TokenResult handle(RegisteredClient client, TokenRequest request, ClientInfo from) {
        String hash = Secrets.hash(((RefreshTokenGrant) request.getAuthorizationGrant()).getRefreshToken().getValue());
        Optional<RefreshToken> found = store.find(hash).filter(t -> t.client().equals(client.id()));
        if (found.isEmpty()) return TokenResult.invalidGrant("Invalid refresh token");
        Scope scope = request.getScope() == null ? found.get().scope() : request.getScope();
        if (!found.get().scope().containsAll(scope))
            return new TokenResult.Rejected(OAuth2Error.INVALID_SCOPE.setDescription("The scope may only narrow on refresh"));
        String next = secrets.newToken();
        return tx.inTransaction(() -> switch (store.rotate(hash, Secrets.hash(next), tokens.refreshIdleTtl()).orElse(null)) {
            case null -> TokenResult.invalidGrant("Invalid refresh token");
            case RefreshTokenStore.Rotation.Rotated r -> issue(client, r.next(), next, scope, from);
            case RefreshTokenStore.Rotation.Reused r -> reused(r, from);
            case RefreshTokenStore.Rotation.Revoked r -> refused(r.token(), "revoked", from);
            case RefreshTokenStore.Rotation.Expired r -> refused(r.token(), r.idle() ? "idle_expired" : "expired", from);
        });
    }

    private TokenResult reused(RefreshTokenStore.Rotation.Reused reused, ClientInfo from) {
        revoker.revoke(TokensOf.family(reused.family()));
        audit.failure(AuditType.REFRESH_TOKEN_REUSED, "family_revoked", reused.token().user(), from);
        return TokenResult.invalidGrant("Invalid refresh token");
    }

    private TokenResult refused(RefreshToken token, String why, ClientInfo from) {
        audit.failure(AuditType.TOKEN_REFUSED, "refresh_token." + why, token.user(), from);
        return TokenResult.invalidGrant("Invalid refresh token");
    }

    private TokenResult issue(RegisteredClient client, RefreshToken rotated, String value, Scope scope, ClientInfo from) {
        var userId = rotated.user().orElseThrow(() -> new IllegalStateException("a refresh token without a user"));
        if (users.find(userId).filter(u -> !u.disabled()).isEmpty()) {
            revoker.revoke(TokensOf.family(rotated.family()));
            return refused(rotated, "user_unavailable", from);
        }
        // auth_time is when the user last authenticated in the session the family came from, while it lives.
        Instant authTime = rotated.session().flatMap(id -> sessions.list(userId).stream().filter(s -> s.id().equals(id)).findFirst())
                .map(Session::authTime).orElse(rotated.createdAt());
        var principal = tokens.principal(userId, authTime, List.of(), Optional.empty(), rotated.session());
        var accessToken = tokens.userAccessToken(client, principal, scope, rotated.grant(), Optional.of(rotated.family()), userId,
                rotated.session());
        audit.success(AuditType.REFRESH_TOKEN_ROTATED, Optional.of(userId), from);
        return new TokenResult.Issued(accessToken, Optional.empty(), Optional.of(value), scope);
    }
}
