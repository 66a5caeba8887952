package dev.doorman.oauth2.revocation;

import com.nimbusds.oauth2.sdk.id.JWTID;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.client.RegisteredClient;
import dev.doorman.oauth2.token.AccessTokenVerifier;
import dev.doorman.oauth2.token.RefreshToken;
import dev.doorman.oauth2.token.RefreshTokenStore;
import dev.doorman.oauth2.token.TokenRevoker;
import dev.doorman.oauth2.token.TokensOf;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;

import java.util.Optional;

/**
 * Token revocation (RFC 7009 §2.1, OA-21): a client revokes only its own tokens. A refresh token takes its whole
 * family with it, access tokens included; an access token goes on the revocation list until it expires. Whatever
 * is unknown, foreign or already dead changes nothing, and the endpoint answers 200 all the same.
 */
public final class RevocationService {
    public enum Outcome { REFRESH_TOKEN_REVOKED, ACCESS_TOKEN_REVOKED, NOTHING_TO_REVOKE }

    private final RefreshTokenStore refreshTokens;
    private final RevocationList revocationList;
    private final TokenRevoker revoker;
    private final AccessTokenVerifier anyAudience;
    private final AuditLog audit;

    /** @param anyAudience verifies our access tokens whatever their audience */
    public RevocationService(RefreshTokenStore refreshTokens, RevocationList revocationList, TokenRevoker revoker,
                             AccessTokenVerifier anyAudience, AuditLog audit) {
        this.refreshTokens = refreshTokens;
        this.revocationList = revocationList;
        this.revoker = revoker;
        this.anyAudience = anyAudience;
        this.audit = audit;
    }

    public Outcome revoke(RegisteredClient client, String token, ClientInfo from) {
        Optional<RefreshToken> refresh = refreshTokens.find(Secrets.hash(token)).filter(t -> t.client().equals(client.id()));
        if (refresh.isPresent()) {
            revoker.revoke(TokensOf.family(refresh.get().family()));
            audit.success(AuditType.TOKEN_REVOKED, refresh.get().user(), from);
            return Outcome.REFRESH_TOKEN_REVOKED;
        }
        if (anyAudience.verify(token) instanceof AccessTokenVerifier.Result.Valid valid
                && client.id().getValue().equals(valid.claims().getClaim("client_id"))) {
            revocationList.revoke(new JWTID(valid.claims().getJWTID()), valid.claims().getExpirationTime().toInstant());
            audit.success(AuditType.TOKEN_REVOKED, Optional.empty(), from);
            return Outcome.ACCESS_TOKEN_REVOKED;
        }
        return Outcome.NOTHING_TO_REVOKE;
    }
}
