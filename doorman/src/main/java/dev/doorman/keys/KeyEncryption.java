package dev.doorman.keys;

import dev.doorman.db.ServerSecrets;
import dev.doorman.oauth2.OAuth2Settings;
import dev.doorman.support.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Seals private signing keys at rest: AES-256-GCM under the key-encryption key (KEK), a fresh random 96-bit IV per
 * seal, and the key's {@code kid} as associated data, so that a sealed key moved to another row does not open.
 * Every sealed key records the KEK's check value, so that a wrong KEK is told apart from a damaged row and both
 * fail loudly: nothing signs with a key that did not open.
 */
public final class KeyEncryption {
    private static final Logger LOG = LoggerFactory.getLogger(KeyEncryption.class);
    /** The {@code server_secrets} entry holding the development KEK. */
    static final String DEV_SECRET_NAME = "signing-key-encryption-key";
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String START_OVER = "; or, to start over with new signing keys (every token signed so far stops verifying), "
            + "delete the rows of the signing_keys table.";

    private final SecretKeySpec key;
    private final String id;
    private final String source;
    private final Secrets secrets;

    private KeyEncryption(byte[] keyBytes, String source, Secrets secrets) {
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.id = checkValue(keyBytes);
        this.source = source;
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    /** The configured KEK ({@link OAuth2Settings#keyEncryptionKey()}, base64 of 32 bytes). */
    public static KeyEncryption configured(String base64, Secrets secrets) {
        return new KeyEncryption(OAuth2Settings.decodeKeyEncryptionKey(base64),
                "the configured key-encryption key (DOORMAN_KEY_ENCRYPTION_KEY / oauth2.keyEncryptionKey)", secrets);
    }

    /**
     * Dev mode without a configured KEK: one generated once and kept in {@code server_secrets}, next to the keys it
     * protects, which protects nothing. Says so in the log.
     */
    public static KeyEncryption development(ServerSecrets serverSecrets, Secrets secrets) {
        String base64 = serverSecrets.getOrCreate(DEV_SECRET_NAME, () -> Base64.getEncoder().encodeToString(secrets.newBytes(32)));
        LOG.warn("no key-encryption key is configured: the token signing keys are encrypted with a generated key kept in the same "
                + "database, which is for development only. Production needs DOORMAN_KEY_ENCRYPTION_KEY (base64 of 32 random bytes).");
        return new KeyEncryption(OAuth2Settings.decodeKeyEncryptionKey(base64),
                "the development key-encryption key kept in server_secrets (no DOORMAN_KEY_ENCRYPTION_KEY is configured)", secrets);
    }

    /** The check value of this KEK (a MAC of a constant under it; not the key and no way to it). */
    public String id() {
        return id;
    }

    SealedJwk seal(KeyId kid, String privateJwkJson) {
        return new SealedJwk(id, sealBytes(kid.value(), privateJwkJson.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Seals another secret kept at rest (a TOTP seed) the same way: AES-256-GCM under this KEK, {@code context} (for
     * example {@code "totp|" + userId}) as associated data, so a sealed value copied to another row does not open.
     * The result is {@code kekCheckValue:base64}.
     */
    public String sealSecret(String context, byte[] secret) {
        return id + ":" + sealBytes(context, secret);
    }

    /**
     * Opens what {@link #sealSecret} sealed under the same context.
     *
     * @throws KeyDecryptionException when another KEK sealed it, or the value or its context was altered
     */
    public byte[] openSecret(String context, String sealed) {
        int colon = sealed.indexOf(':');
        if (colon < 0) throw new KeyDecryptionException("cannot decrypt a stored secret: it is not in the sealed form");
        if (!sealed.substring(0, colon).equals(id))
            throw new KeyDecryptionException("cannot decrypt a stored secret: it was encrypted with a different key-encryption key "
                    + "(check value " + sealed.substring(0, colon) + ") than " + source + " (check value " + id + ")");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new KeyDecryptionException("cannot decrypt a stored secret: it was damaged");
        }
        if (bytes.length < IV_BYTES + TAG_BITS / 8) throw new KeyDecryptionException("cannot decrypt a stored secret: it was damaged");
        try {
            return decrypt(context, bytes);
        } catch (AEADBadTagException e) {
            throw new KeyDecryptionException("cannot decrypt a stored secret with " + source + ": it was altered or moved (AES-GCM authentication failed)");
        }
    }

    private String sealBytes(String aad, byte[] plaintext) {
        byte[] iv = secrets.newBytes(IV_BYTES);
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is required by every JDK", e);
        }
    }

    private byte[] decrypt(String aad, byte[] ivAndCiphertext) throws AEADBadTagException {
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ivAndCiphertext, 0, IV_BYTES));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(ivAndCiphertext, IV_BYTES, ivAndCiphertext.length - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is required by every JDK", e);
        }
    }

    /**
     * @throws KeyDecryptionException naming the key and what to do, when the KEK is not the one that sealed it or the
     *                                row was altered
     */
    String open(KeyId kid, SealedJwk sealed) {
        if (!sealed.kekId().equals(id))
            throw new KeyDecryptionException("cannot decrypt signing key " + kid + ": it was encrypted with a different key-encryption key "
                    + "(check value " + sealed.kekId() + ") than " + source + " (check value " + id + "). "
                    + "Configure the key-encryption key the signing keys were created with" + START_OVER);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.ciphertext());
        } catch (IllegalArgumentException e) {
            throw damaged(kid);
        }
        if (bytes.length < IV_BYTES + TAG_BITS / 8) throw damaged(kid);
        try {
            return new String(decrypt(kid.value(), bytes), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw damaged(kid);
        }
    }

    private KeyDecryptionException damaged(KeyId kid) {
        return new KeyDecryptionException("cannot decrypt signing key " + kid + " with " + source + ": the stored key was altered or "
                + "damaged (AES-GCM authentication failed). Restore the signing_keys table from a backup" + START_OVER);
    }

    private static String checkValue(byte[] keyBytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyBytes, "HmacSHA256"));
            byte[] tag = mac.doFinal("doorman signing-key KEK check value".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(tag, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
        }
    }

    /** A private signing key that cannot be opened: a wrong key-encryption key, or a damaged row. */
    public static final class KeyDecryptionException extends IllegalStateException {
        KeyDecryptionException(String message) {
            super(message);
        }
    }
}
