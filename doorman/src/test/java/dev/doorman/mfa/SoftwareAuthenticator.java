package dev.doorman.mfa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * A software WebAuthn authenticator for tests (webauthn4j-test is not served here): one ES256 credential, "none"
 * attestation, a signature counter the test controls, and flags for user verification and backup. It answers with
 * the WebAuthn JSON a browser's {@code PublicKeyCredential.toJSON()} gives.
 */
final class SoftwareAuthenticator {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyPair keys;
    private final byte[] credentialId = new byte[32];
    private final boolean backupEligible;
    private long counter;
    private boolean userVerification = true;

    SoftwareAuthenticator(boolean backupEligible) {
        this.backupEligible = backupEligible;
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            this.keys = generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        new SecureRandom().nextBytes(credentialId);
    }

    String credentialId() {
        return B64URL.encodeToString(credentialId);
    }

    void counter(long value) {
        this.counter = value;
    }

    void userVerification(boolean on) {
        this.userVerification = on;
    }

    /** navigator.credentials.create() for these options, as seen from {@code origin}. */
    String create(String challenge, String rpId, String origin) {
        byte flags = flags(true);
        var attested = new AttestedCredentialData(AAGUID.ZERO, credentialId, EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256));
        var authenticatorData = new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)), flags, counter, attested);
        @SuppressWarnings({"unchecked", "rawtypes"})
        var attestation = new AttestationObject((AuthenticatorData) authenticatorData, new NoneAttestationStatement());
        byte[] attestationObject = new AttestationObjectConverter(new ObjectConverter()).convertToBytes(attestation);
        ObjectNode response = JSON.createObjectNode()
                .put("clientDataJSON", B64URL.encodeToString(clientData("webauthn.create", challenge, origin)))
                .put("attestationObject", B64URL.encodeToString(attestationObject));
        response.putArray("transports").add("internal");
        return credential(response).toString();
    }

    /** navigator.credentials.get(); the counter moves up by one first, as a real authenticator's does. */
    String get(String challenge, String rpId, String origin, String userHandle) {
        counter++;
        return getWithoutCounting(challenge, rpId, origin, userHandle);
    }

    /** An assertion at the current counter (a clone replaying an older state sends a counter that did not grow). */
    String getWithoutCounting(String challenge, String rpId, String origin, String userHandle) {
        byte[] authenticatorData = ByteBuffer.allocate(37).put(sha256(rpId.getBytes(StandardCharsets.UTF_8))).put(flags(false))
                .putInt((int) counter).array();
        byte[] clientData = clientData("webauthn.get", challenge, origin);
        byte[] signature;
        try {
            var signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(authenticatorData);
            signer.update(sha256(clientData));
            signature = signer.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ObjectNode response = JSON.createObjectNode()
                .put("clientDataJSON", B64URL.encodeToString(clientData))
                .put("authenticatorData", B64URL.encodeToString(authenticatorData))
                .put("signature", B64URL.encodeToString(signature));
        if (userHandle != null) response.put("userHandle", userHandle);
        return credential(response).toString();
    }

    private ObjectNode credential(ObjectNode response) {
        ObjectNode credential = JSON.createObjectNode().put("id", credentialId()).put("rawId", credentialId()).put("type", "public-key");
        credential.set("response", response);
        credential.putObject("clientExtensionResults");
        credential.put("authenticatorAttachment", "platform");
        return credential;
    }

    private byte flags(boolean attested) {
        int f = AuthenticatorData.BIT_UP;
        if (userVerification) f |= AuthenticatorData.BIT_UV;
        if (backupEligible) f |= AuthenticatorData.BIT_BE | AuthenticatorData.BIT_BS;
        if (attested) f |= AuthenticatorData.BIT_AT;
        return (byte) f;
    }

    private static byte[] clientData(String type, String challenge, String origin) {
        return JSON.createObjectNode().put("type", type).put("challenge", challenge).put("origin", origin).put("crossOrigin", false)
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
