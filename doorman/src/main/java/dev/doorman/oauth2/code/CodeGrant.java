package dev.doorman.oauth2.code;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.doorman.account.UserId;
import dev.doorman.oauth2.Authentication;
import dev.doorman.session.SessionId;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an authorization code stands for: a user's consent to a scope for one client and redirect URI, under a
 * PKCE S256 challenge, from one session. Every token issued from it carries {@code grantId}, so that a replayed
 * code can revoke them all.
 *
 * @param amr authentication methods of the session (e.g. {@code pwd})
 */
public record CodeGrant(String grantId, ClientID client, URI redirectUri, CodeChallenge challenge, Scope scope, Optional<Nonce> nonce,
                        UserId user, SessionId session, Instant authTime, List<String> amr, Optional<String> acr, Instant expiresAt) {
    public CodeGrant {
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(scope, "scope");
        amr = List.copyOf(amr);
    }

    /** How the user authenticated, for every token issued under this grant, the refresh family's included. */
    public Authentication authentication() {
        return new Authentication(authTime, amr, acr);
    }
}
