package dev.doorman.oauth2;

/** Where the OAuth 2.0 and OpenID Connect endpoints live (advertised by discovery). */
public final class OAuth2Paths {
    public static final String AUTHORIZE = "/oauth2/authorize";
    public static final String CONSENT = "/oauth2/consent";
    public static final String TOKEN = "/oauth2/token";
    public static final String REVOKE = "/oauth2/revoke";
    public static final String INTROSPECT = "/oauth2/introspect";
    public static final String PAR = "/oauth2/par";
    public static final String USERINFO = "/oauth2/userinfo";
    public static final String END_SESSION = "/oauth2/logout";
    public static final String REVOKED_TOKENS = "/oauth2/revoked";
    public static final String JWKS = "/.well-known/jwks.json";
    public static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";
    public static final String AUTHORIZATION_SERVER_METADATA = "/.well-known/oauth-authorization-server";

    private OAuth2Paths() {
    }
}
