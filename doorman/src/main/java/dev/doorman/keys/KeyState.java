package dev.doorman.keys;

import java.util.Locale;

/**
 * Where a signing key is in its life. Every state is published in the JWKS: {@code NEXT} so that resource servers
 * know it before it signs, {@code RETIRED} until every token it signed has expired.
 */
public enum KeyState {
    /** Published, not signing yet; becomes active at the next rotation. */
    NEXT,
    /** Signs every new token. Exactly one. */
    ACTIVE,
    /** Signs nothing; published until {@link SigningKeys#RETIRED_KEY_LIFETIME} after retirement, then deleted. */
    RETIRED;

    /** The stored form: lower-case name. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KeyState fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
