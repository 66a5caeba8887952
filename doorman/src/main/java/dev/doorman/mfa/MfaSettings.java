package dev.doorman.mfa;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Second factors.
 *
 * @param issuer                   the name authenticator apps show next to the account (otpauth {@code issuer})
 * @param challengeTtl             how long a login may wait between the password and the second factor
 * @param maxFailuresPerChallenge  wrong codes one login may try before it dies and must start over with the password
 * @param maxFailuresPerAccount    wrong codes one account may see within {@code failureWindow}, over all logins and
 *                                 step-ups, before every code is refused until the window has passed
 * @param reauthWindow             how recent the last proof must be to remove a factor, regenerate recovery codes or
 *                                 set up a factor (SE-09)
 * @param requiredForRoles         roles whose holders must use a second factor; one without is enrolled at login
 * @param rpId                     the WebAuthn relying-party id (a registrable domain of the origin); empty: the base URL's host
 * @param origins                  the origins passkey ceremonies may come from; empty: the base URL only
 */
public record MfaSettings(String issuer, Duration challengeTtl, int maxFailuresPerChallenge, int maxFailuresPerAccount, Duration failureWindow,
                          Duration reauthWindow, Set<String> requiredForRoles, Optional<String> rpId, List<URI> origins) {
    public MfaSettings {
        Objects.requireNonNull(issuer, "issuer");
        if (issuer.isBlank() || issuer.contains(":")) throw new IllegalArgumentException("the MFA issuer name must be non-blank and without ':'");
        if (challengeTtl.isNegative() || challengeTtl.isZero()) throw new IllegalArgumentException("MFA challenge lifetime must be positive");
        if (maxFailuresPerChallenge < 1 || maxFailuresPerAccount < 1) throw new IllegalArgumentException("MFA failure limits must be positive");
        if (failureWindow.isNegative() || failureWindow.isZero()) throw new IllegalArgumentException("MFA failure window must be positive");
        if (reauthWindow.isNegative() || reauthWindow.isZero()) throw new IllegalArgumentException("re-authentication window must be positive");
        requiredForRoles = Set.copyOf(requiredForRoles);
        Objects.requireNonNull(rpId, "rpId");
        origins = List.copyOf(origins);
        rpId.ifPresent(id -> {
            if (id.isBlank() || id.contains("/") || id.contains(":")) throw new IllegalArgumentException("the WebAuthn rpId must be a domain such as example.org");
        });
        for (URI origin : origins) {
            boolean ok = ("https".equals(origin.getScheme()) || "http".equals(origin.getScheme())) && origin.getHost() != null
                    && (origin.getRawPath() == null || origin.getRawPath().isEmpty() || origin.getRawPath().equals("/"))
                    && origin.getRawQuery() == null && origin.getRawFragment() == null;
            if (!ok) throw new IllegalArgumentException("a WebAuthn origin must be scheme://host[:port], got '" + origin + "'");
        }
    }

    public static MfaSettings defaults() {
        return new MfaSettings("Doorman", Duration.ofMinutes(5), 5, 20, Duration.ofHours(1), Duration.ofMinutes(10), Set.of(),
                Optional.empty(), List.of());
    }

    public MfaSettings withRequiredForRoles(Set<String> roles) {
        return new MfaSettings(issuer, challengeTtl, maxFailuresPerChallenge, maxFailuresPerAccount, failureWindow, reauthWindow, roles, rpId, origins);
    }

    public MfaSettings withWebAuthn(Optional<String> rpId, List<URI> origins) {
        return new MfaSettings(issuer, challengeTtl, maxFailuresPerChallenge, maxFailuresPerAccount, failureWindow, reauthWindow,
                requiredForRoles, rpId, origins);
    }
}
