package dev.doorman.mfa;

import dev.doorman.account.UserId;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A registered WebAuthn credential (a passkey or a security key).
 *
 * @param credentialId   base64url of the authenticator's credential id
 * @param attestedData   the attested credential data (AAGUID, credential id, COSE public key) as the authenticator sent it
 * @param signCount      the last signature counter seen: a counter that does not grow betrays a cloned authenticator
 * @param backupEligible whether the credential may be synced (a "multi-device" passkey); fixed at registration
 * @param backupState    whether it is synced now
 * @param passwordless   whether the user allowed it as a first factor (log in without a password)
 */
public record Passkey(String id, String credentialId, UserId user, String name, byte[] attestedData, long signCount, boolean uvInitialized,
                      boolean backupEligible, boolean backupState, boolean passwordless, Set<String> transports, Instant createdAt,
                      Optional<Instant> lastUsedAt) {
    public Passkey {
        transports = Set.copyOf(transports);
    }

    /** RFC 8176: {@code swk} for a key that may live in software (synced), {@code hwk} for one bound to its hardware. */
    public String amr() {
        return backupEligible ? "swk" : "hwk";
    }
}
