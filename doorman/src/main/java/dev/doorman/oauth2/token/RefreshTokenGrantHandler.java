package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.openid.connect.sdk.OIDCScopeValue;
import dev.doorman.account.User;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.client.RegisteredClient;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;
import dev.doorman.support.Tx;

import java.util.Optional;

/**
 * {@code grant_type=refresh_token} (RFC 6749 §6): the token is bound to its client (OA-18), rotated atomically with
 * one winner (OA-15, OA-17), and a rotated token presented again revokes its whole family (OA-16). A requested
 * scope may only narrow the new access token; the family keeps its scope (OA-19).
 *
 * <p>A refresh is no new authentication (OIDC Core §12.2). The tokens it issues claim the family's original
 * {@code auth_time}, {@code amr} and {@code acr}, as the code exchange issued them, never what the session shows now:
 * a factor the session passed later, or a later login time, was not proved to this client. With {@code openid} in
 * the granted scope the response carries a fresh ID token with the same {@code iss}, {@code sub}, {@code aud},
 * {@code azp} and {@code sid}, and no {@code nonce}.
 */
public final class RefreshTokenGrantHandler implements GrantHandler {
    private final RefreshTokenStore store;
    private final UserStore users;
    private final TokenFactory tokens;
    private final TokenRevoker revoker;
    private final Secrets secrets;
    private final AuditLog audit;
    private final Tx tx;

    /** @param tx the rotation and the issuance (or the reuse's revocation) run in one transaction */
    public RefreshTokenGrantHandler(RefreshTokenStore store, UserStore users, TokenFactory tokens, TokenRevoker revoker, Secrets secrets,
                                    AuditLog audit, Tx tx) {
        this.tx = tx;
        this.store = store;
        this.users = users;
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
        Optional<User> user = users.find(userId).filter(u -> !u.disabled());
        if (user.isEmpty()) {
            revoker.revoke(TokensOf.family(rotated.family()));
            return refused(rotated, "user_unavailable", from);
        }
        var principal = tokens.principal(userId, rotated.authentication(), rotated.session());
        var accessToken = tokens.userAccessToken(client, principal, scope, rotated.grant(), Optional.of(rotated.family()), userId,
                rotated.session());
        // Every ID token has auth_time (OI-02): a family that does not know it (from before V10) refreshes without one.
        Optional<String> idToken = scope.contains(OIDCScopeValue.OPENID) && rotated.authentication().isPresent()
                ? Optional.of(tokens.idToken(client, principal, user.get(), scope, Optional.empty(), accessToken))
                : Optional.empty();
        audit.success(AuditType.REFRESH_TOKEN_ROTATED, Optional.of(userId), from);
        return new TokenResult.Issued(accessToken, idToken, Optional.of(value), scope);
    }
}
