package dev.doorman.oauth2;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How and when the user authenticated for one grant, as their session showed it when the authorization code was
 * issued: the {@code auth_time}, {@code amr} and {@code acr} of every token issued under that grant. A refresh is no
 * new authentication (OIDC Core §12.2), so the tokens from every rotation of the grant's refresh family say the same,
 * whatever the session did since: never a later time, never a factor passed afterwards.
 *
 * @param authTime when the user last authenticated in the session
 * @param amr      the methods it proved (RFC 8176: {@code pwd}, {@code otp}, {@code hwk}, {@code swk}, {@code mfa})
 * @param acr      the authentication context class it reached
 */
public record Authentication(Instant authTime, List<String> amr, Optional<String> acr) {
    public Authentication {
        Objects.requireNonNull(authTime, "authTime");
        amr = List.copyOf(amr);
        Objects.requireNonNull(acr, "acr");
    }
}
