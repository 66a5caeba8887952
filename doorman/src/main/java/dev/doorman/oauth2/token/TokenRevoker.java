package dev.doorman.oauth2.token;

import dev.doorman.oauth2.revocation.RevocationList;

/**
 * Revokes both halves of what a {@link TokensOf} selects: the refresh tokens, and the unexpired access tokens of the
 * ledger, which go on the revocation list (OA-06, OA-16, OA-21, SE-07).
 */
public final class TokenRevoker {
    private final RefreshTokenStore refreshTokens;
    private final RevocationList revocationList;

    public TokenRevoker(RefreshTokenStore refreshTokens, RevocationList revocationList) {
        this.refreshTokens = refreshTokens;
        this.revocationList = revocationList;
    }

    /** @return how many refresh tokens and access tokens were newly revoked */
    public int revoke(TokensOf tokens) {
        return refreshTokens.revoke(tokens) + revocationList.revokeAll(tokens);
    }
}
