package dev.doorman.examples.logindemo;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * The relying party's side of Authorization Code + PKCE, entirely with the Nimbus OAuth 2.0 SDK: discovery, the
 * authorization request (S256 challenge, state, nonce), the callback (state, RFC 9207 {@code iss}), the code
 * exchange with client_secret_basic, ID token validation (signature against the provider's JWKS with the one
 * configured algorithm, iss, aud, exp, iat, nonce, at_hash), userinfo (its {@code sub} must match), revocation and
 * the end-session URL. Nothing here trusts the browser: what came through it is checked against what we kept.
 */
public final class OidcClient {
    private static final int TIMEOUT_MS = 5_000;
    static final Scope SCOPE = new Scope("openid", "profile", "email");

    /** What we keep between sending the browser off and its coming back: never sent to the browser. */
    public record PendingLogin(State state, Nonce nonce, CodeVerifier verifier) { }

    /** A signed-in user: the tokens stay here, on the server. */
    public record SignedIn(String subject, Optional<String> email, Optional<String> name, JWT idToken, BearerAccessToken accessToken,
                           Optional<RefreshToken> refreshToken) { }

    public sealed interface CallbackOutcome {
        record Success(SignedIn user) implements CallbackOutcome { }

        /** The provider said no (e.g. the user denied consent): show its error code. */
        record ProviderError(String code) implements CallbackOutcome { }

        /** Something did not check out: forged, replayed or tampered. The reason is for the log only. */
        record Rejected(String reason) implements CallbackOutcome { }
    }

    private final DemoSettings settings;
    private final OIDCProviderMetadata provider;
    private final IDTokenValidator idTokens;

    private OidcClient(DemoSettings settings, OIDCProviderMetadata provider, IDTokenValidator idTokens) {
        this.settings = settings;
        this.provider = provider;
        this.idTokens = idTokens;
    }

    /** Reads the provider's discovery document; Nimbus checks that its issuer is exactly the one configured. */
    public static OidcClient discover(DemoSettings settings) throws IOException, GeneralException {
        OIDCProviderMetadata provider = OIDCProviderMetadata.resolve(settings.issuer(), TIMEOUT_MS, TIMEOUT_MS);
        var validator = new IDTokenValidator(provider.getIssuer(), settings.clientId(), settings.idTokenAlg(),
                provider.getJWKSetURI().toURL());
        return new OidcClient(settings, provider, validator);
    }

    public URI issuerOrigin() {
        URI issuer = URI.create(provider.getIssuer().getValue());
        return URI.create(issuer.getScheme() + "://" + issuer.getRawAuthority());
    }

    /** A fresh state, nonce and PKCE verifier, and the URL to send the browser to. */
    public PendingLogin newLogin() {
        return new PendingLogin(new State(), new Nonce(), new CodeVerifier());
    }

    public URI authorizationUrl(PendingLogin login) {
        return new AuthenticationRequest.Builder(ResponseType.CODE, SCOPE, settings.clientId(), settings.callback())
                .endpointURI(provider.getAuthorizationEndpointURI())
                .state(login.state())
                .nonce(login.nonce())
                .codeChallenge(login.verifier(), CodeChallengeMethod.S256)
                .build().toURI();
    }

    /** The browser came back to {@code /callback} with this full URL; {@code login} is what we kept for it. */
    public CallbackOutcome complete(URI callbackUrl, PendingLogin login) {
        AuthenticationResponse response;
        try {
            response = AuthenticationResponseParser.parse(callbackUrl);
        } catch (ParseException e) {
            return new CallbackOutcome.Rejected("unparseable callback: " + e.getMessage());
        }
        if (!login.state().equals(response.getState())) return new CallbackOutcome.Rejected("state mismatch");
        // RFC 9207: the response must say it comes from our provider (mix-up defence), errors included.
        if (response.getIssuer() == null || !response.getIssuer().equals(provider.getIssuer()))
            return new CallbackOutcome.Rejected("iss missing or from another provider");
        if (response instanceof AuthenticationErrorResponse error)
            return new CallbackOutcome.ProviderError(error.getErrorObject().getCode());
        var success = (AuthenticationSuccessResponse) response;
        if (success.getAuthorizationCode() == null) return new CallbackOutcome.Rejected("no code");

        TokenResponse tokenResponse;
        try {
            var grant = new AuthorizationCodeGrant(success.getAuthorizationCode(), settings.callback(), login.verifier());
            tokenResponse = OIDCTokenResponseParser.parse(send(new TokenRequest(provider.getTokenEndpointURI(),
                    new ClientSecretBasic(settings.clientId(), settings.clientSecret()), grant).toHTTPRequest()));
        } catch (ParseException | IOException e) {
            return new CallbackOutcome.Rejected("token endpoint: " + e.getMessage());
        }
        if (tokenResponse instanceof TokenErrorResponse error) {
            ErrorObject object = error.getErrorObject();
            return new CallbackOutcome.Rejected("token endpoint said " + object.getCode());
        }
        var tokens = ((OIDCTokenResponse) tokenResponse).getOIDCTokens();
        IDTokenClaimsSet claims;
        try {
            claims = idTokens.validate(tokens.getIDToken(), login.nonce());
            if (claims.getAccessTokenHash() != null)
                AccessTokenValidator.validate(tokens.getAccessToken(), settings.idTokenAlg(), claims.getAccessTokenHash());
        } catch (BadJOSEException | JOSEException | com.nimbusds.openid.connect.sdk.validators.InvalidHashException e) {
            return new CallbackOutcome.Rejected("ID token: " + e.getMessage());
        }
        UserInfo info;
        try {
            var userInfo = UserInfoResponse.parse(send(new UserInfoRequest(provider.getUserInfoEndpointURI(),
                    tokens.getBearerAccessToken()).toHTTPRequest()));
            if (!userInfo.indicatesSuccess()) return new CallbackOutcome.Rejected("userinfo refused the access token");
            info = userInfo.toSuccessResponse().getUserInfo();
        } catch (ParseException | IOException e) {
            return new CallbackOutcome.Rejected("userinfo: " + e.getMessage());
        }
        // OIDC Core §5.3.2: the userinfo sub must be the ID token's, or the response is not about this user.
        if (!claims.getSubject().equals(info.getSubject())) return new CallbackOutcome.Rejected("userinfo sub differs from the ID token's");
        return new CallbackOutcome.Success(new SignedIn(claims.getSubject().getValue(),
                Optional.ofNullable(info.getEmailAddress()), Optional.ofNullable(info.getName()),
                tokens.getIDToken(), tokens.getBearerAccessToken(), Optional.ofNullable(tokens.getRefreshToken())));
    }

    /** Revokes the refresh token (and with it its access tokens) at the provider; best effort on logout. */
    public boolean revoke(RefreshToken token) {
        if (provider.getRevocationEndpointURI() == null) return false;
        try {
            return send(new TokenRevocationRequest(provider.getRevocationEndpointURI(),
                    new ClientSecretBasic(settings.clientId(), settings.clientSecret()), token).toHTTPRequest()).indicatesSuccess();
        } catch (IOException e) {
            return false;
        }
    }

    /** Where to send the browser to end its provider session too, returning to {@code /logged-out}. */
    public Optional<URI> endSessionUrl(JWT idTokenHint, State state) {
        if (provider.getEndSessionEndpointURI() == null) return Optional.empty();
        return Optional.of(new LogoutRequest(provider.getEndSessionEndpointURI(), idTokenHint, settings.loggedOut(), state).toURI());
    }

    private static HTTPResponse send(HTTPRequest request) throws IOException {
        request.setConnectTimeout(TIMEOUT_MS);
        request.setReadTimeout(TIMEOUT_MS);
        return request.send();
    }
}
