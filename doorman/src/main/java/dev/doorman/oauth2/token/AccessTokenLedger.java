package dev.doorman.oauth2.token;

/**
 * Every JWT access token issued, kept until it expires, so that whatever revokes its grant, family, user or session
 * can also put it on the revocation list ({@link dev.doorman.oauth2.revocation.RevocationList#revokeAll}).
 * Expired entries go with {@link dev.doorman.oauth2.revocation.RevocationList#purgeExpired()}.
 */
public interface AccessTokenLedger {
    void save(IssuedAccessToken token);
}
