package dev.doorman.client;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An OAuth client as registered. Public clients authenticate with nothing ({@code none}) and must use PKCE
 * (every client must); confidential ones with the one method they are pinned to.
 *
 * @param redirectUris     compared by exact string, except the port of loopback redirects (RFC 8252)
 * @param accessTokenTtl   overrides the server default, at most 1 hour
 * @param consentRequired  false for first-party clients that may skip the consent screen
 */
public record RegisteredClient(ClientID id, String name, boolean confidential, ClientAuthenticationMethod authMethod,
                               List<URI> redirectUris, Set<GrantType> grantTypes, Scope scope, List<Audience> audiences,
                               Optional<Duration> accessTokenTtl, Optional<Duration> refreshTokenTtl, boolean consentRequired) {
    public RegisteredClient {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(authMethod, "authMethod");
        redirectUris = List.copyOf(redirectUris);
        grantTypes = Set.copyOf(grantTypes);
        audiences = List.copyOf(audiences);
        if (confidential == ClientAuthenticationMethod.NONE.equals(authMethod))
            throw new IllegalArgumentException("a public client authenticates with 'none', a confidential one never does");
    }

    /** Whether this exact redirect URI is registered (RFC 8252 loopback redirects may differ in port only). */
    public boolean allowsRedirect(URI requested) {
        return RedirectUris.matches(redirectUris, requested);
    }
}
