package dev.doorman.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import dev.doorman.client.ClientRegistry;
import dev.doorman.client.RegisteredClient;
import dev.doorman.keys.TokenSigner;
import dev.doorman.oauth2.OAuth2Settings;
import dev.doorman.session.Session;

import java.net.URI;
import java.util.HashSet;
import java.util.Optional;

/**
 * RP-initiated logout 1.0: who may be logged out without asking, and where the browser may go afterwards.
 * Interim rule: {@code post_logout_redirect_uri} must equal one of the hinted client's registered redirect URIs
 * (there is no separate post-logout registration yet).
 */
public final class EndSessionService {
    /** What to do with a logout request. */
    public sealed interface Decision {
        /** A valid hint for the current user: log out, then go to {@code redirect} (with state) or to the login page. */
        record LogOut(Optional<URI> redirect) implements Decision { }

        /** No usable hint: ask the user first. */
        record Confirm() implements Decision { }

        /** A post_logout_redirect_uri that is not registered: an error page, no redirect. */
        record Refused(String message) implements Decision { }
    }

    private final ClientRegistry clients;
    private final TokenSigner signer;
    private final Issuer issuer;

    public EndSessionService(ClientRegistry clients, TokenSigner signer, Issuer issuer) {
        this.clients = clients;
        this.signer = signer;
        this.issuer = issuer;
    }

    public Decision decide(Optional<String> idTokenHint, Optional<String> postLogoutRedirect, Optional<String> clientIdParam,
                           Optional<Session> session) {
        Optional<JWTClaimsSet> hint = idTokenHint.flatMap(this::verify);
        Optional<RegisteredClient> client = hint.flatMap(c -> c.getAudience().stream().findFirst())
                .or(() -> clientIdParam)
                .flatMap(id -> clients.find(new ClientID(id)));
        if (clientIdParam.isPresent() && hint.isPresent() && !hint.get().getAudience().contains(clientIdParam.get()))
            return new Decision.Refused("The logout request names another application than its ID token.");
        Optional<URI> redirect = Optional.empty();
        if (postLogoutRedirect.isPresent()) {
            Optional<URI> registered = client.filter(c -> hint.isPresent())
                    .flatMap(c -> c.redirectUris().stream().filter(u -> u.toString().equals(postLogoutRedirect.get())).findFirst());
            if (registered.isEmpty())
                return new Decision.Refused("The address to return to after logging out is not registered for this application.");
            redirect = registered;
        }
        boolean sameUser = hint.isPresent() && session.map(s -> s.user().toString().equals(hint.get().getSubject())).orElse(true);
        if (!sameUser) return new Decision.Confirm();
        if (hint.isPresent()) return new Decision.LogOut(redirect);
        return new Decision.Confirm();
    }

    /** Signature by one of our keys, our issuer, {@code typ} JWT (never an access token); expiry does not matter. */
    private Optional<JWTClaimsSet> verify(String token) {
        try {
            var jwt = SignedJWT.parse(token);
            var processor = new DefaultJWTProcessor<SecurityContext>();
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(new HashSet<>(OAuth2Settings.SUPPORTED_ALGORITHMS),
                    new ImmutableJWKSet<>(signer.publicKeys())));
            processor.setJWTClaimsSetVerifier((claims, context) -> {
                if (!issuer.getValue().equals(claims.getIssuer())) throw new BadJWTException("wrong issuer");
                if (claims.getSubject() == null || claims.getAudience() == null || claims.getAudience().isEmpty())
                    throw new BadJWTException("no sub or aud");
            });
            return Optional.of(processor.process(jwt, null));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
