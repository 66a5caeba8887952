package dev.doorman.keys;

import java.util.Objects;

/**
 * A private JWK as stored: AES-256-GCM ciphertext (base64 of IV, ciphertext and tag) and the check value of the
 * key-encryption key that sealed it. Opened only by {@link KeyEncryption}.
 */
public record SealedJwk(String kekId, String ciphertext) {
    public SealedJwk {
        Objects.requireNonNull(kekId, "kekId");
        Objects.requireNonNull(ciphertext, "ciphertext");
    }

    @Override
    public String toString() {
        return "SealedJwk[kekId=" + kekId + "]";
    }
}
