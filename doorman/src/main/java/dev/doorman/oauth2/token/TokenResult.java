package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.Scope;

import java.util.Optional;

/** What a grant handler decided: tokens to send, or the wire error to answer with. */
public sealed interface TokenResult {
    /**
     * @param idToken      present when {@code openid} is granted: at the code exchange, and at a refresh of a family that
     *                     knows how the user authenticated
     * @param refreshToken the opaque value, present when the client has the {@code refresh_token} grant
     */
    record Issued(TokenIssuer.AccessToken accessToken, Optional<String> idToken, Optional<String> refreshToken, Scope scope)
            implements TokenResult {
        @Override
        public String toString() {
            return "Issued[" + accessToken + ", idToken=" + idToken.isPresent() + ", refreshToken=" + refreshToken.isPresent() + "]";
        }
    }

    record Rejected(ErrorObject error) implements TokenResult { }

    /** {@code invalid_grant}: the description is for the client's developer, never names which check failed beyond that. */
    static TokenResult invalidGrant(String description) {
        return new Rejected(OAuth2Error.INVALID_GRANT.setDescription(description));
    }
}
