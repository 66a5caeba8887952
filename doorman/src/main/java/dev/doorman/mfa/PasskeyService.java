package dev.doorman.mfa;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.mail.Mailer;
import dev.doorman.session.SessionId;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Passkeys and security keys (WebAuthn Level 3) verified by webauthn4j: registration, and assertions as a second
 * factor, for step-up, and as a passwordless first factor for passkeys the user allowed for it. Every challenge is
 * single use and bound to what asked for it; the relying-party id and origins come from the settings.
 */
public final class PasskeyService {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODE = Base64.getUrlDecoder();
    private static final Duration CEREMONY_TTL = Duration.ofMinutes(5);
    private static final List<COSEAlgorithmIdentifier> ALGORITHMS = List.of(COSEAlgorithmIdentifier.ES256, COSEAlgorithmIdentifier.EdDSA,
            COSEAlgorithmIdentifier.RS256);
    static final int MAX_NAME = 100;

    private final PasskeyStore passkeys;
    private final CeremonyStore ceremonies;
    private final UserStore users;
    private final MfaService mfa;
    private final Secrets secrets;
    private final AuditLog audit;
    private final Mailer mailer;
    private final MfaMails mails;
    private final Clock clock;
    private final String rpId;
    private final String rpName;
    private final Set<Origin> origins;
    private final WebAuthnManager webauthn = WebAuthnManager.createNonStrictWebAuthnManager();
    private final AttestedCredentialDataConverter attestedData = new AttestedCredentialDataConverter(new ObjectConverter());

    public PasskeyService(PasskeyStore passkeys, CeremonyStore ceremonies, UserStore users, MfaService mfa, Secrets secrets, AuditLog audit,
                         Mailer mailer, MfaMails mails, Clock clock, URI baseUrl, MfaSettings settings) {
        this.passkeys = passkeys;
        this.ceremonies = ceremonies;
        this.users = users;
        this.mfa = mfa;
        this.secrets = secrets;
        this.audit = audit;
        this.mailer = mailer;
        this.mails = mails;
        this.clock = clock;
        this.rpId = settings.rpId().orElse(baseUrl.getHost());
        this.rpName = settings.issuer();
        List<URI> configured = settings.origins().isEmpty() ? List.of(baseUrl) : settings.origins();
        this.origins = configured.stream().map(u -> Origin.create(u.getScheme() + "://" + u.getRawAuthority())).collect(Collectors.toSet());
    }

    public List<Passkey> list(UserId user) {
        return passkeys.listByUser(user);
    }

    /** PublicKeyCredentialCreationOptions (JSON form) for adding a passkey; bound to the session asking. */
    public Map<String, Object> registrationOptions(User user, SessionId session) {
        String challenge = newCeremony(CeremonyStore.Purpose.REGISTER, Optional.of(user.id()), Optional.of(session.toString()));
        var options = new LinkedHashMap<String, Object>();
        options.put("challenge", challenge);
        options.put("rp", Map.of("id", rpId, "name", rpName));
        options.put("user", Map.of("id", userHandle(user.id()), "name", user.email().value(), "displayName", user.name().orElse(user.email().value())));
        options.put("pubKeyCredParams", ALGORITHMS.stream().map(a -> Map.of("type", "public-key", "alg", a.getValue())).toList());
        options.put("timeout", CEREMONY_TTL.toMillis());
        options.put("excludeCredentials", descriptors(passkeys.listByUser(user.id())));
        options.put("authenticatorSelection", Map.of("residentKey", "preferred", "requireResidentKey", false, "userVerification", "preferred"));
        options.put("attestation", "none");
        return options;
    }

    /** Verifies a registration response (the credential's JSON) and saves the passkey. */
    public PasskeyOutcome register(User user, SessionId session, String name, boolean passwordless, String credentialJson, ClientInfo client) {
        String cleanName = name == null ? "" : name.strip();
        if (cleanName.isEmpty() || cleanName.length() > MAX_NAME || cleanName.chars().anyMatch(Character::isISOControl))
            return new PasskeyOutcome.Rejected("passkey.invalid_name", "Give the passkey a name of at most " + MAX_NAME + " characters.");
        RegistrationData data;
        try {
            data = webauthn.parseRegistrationResponseJSON(credentialJson);
        } catch (RuntimeException e) {   // DataConversionException and whatever else a malformed answer makes the parser throw
            return rejectRegistration(user, client, "malformed", "passkey.malformed", "The passkey's answer could not be read.");
        }
        Optional<byte[]> challenge = Optional.ofNullable(data.getCollectedClientData()).map(c -> c.getChallenge().getValue());
        if (challenge.isEmpty() || !takeCeremony(challenge.get(), CeremonyStore.Purpose.REGISTER, Optional.of(user.id()), Optional.of(session.toString())))
            return rejectRegistration(user, client, "unknown_challenge", "passkey.unknown_challenge", "This request has expired. Try again.");
        var parameters = new RegistrationParameters(new ServerProperty(origins, rpId, new DefaultChallenge(challenge.get())),
                ALGORITHMS.stream().map(a -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, a)).toList(), false, true);
        try {
            webauthn.verify(data, parameters);
        } catch (BadOriginException e) {
            return rejectRegistration(user, client, "bad_origin", "passkey.bad_origin", "The passkey was created for another site.");
        } catch (VerificationException e) {
            return rejectRegistration(user, client, "verification_failed", "passkey.verification_failed", "The passkey could not be verified.");
        }
        var authenticatorData = data.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData credential = authenticatorData.getAttestedCredentialData();
        Set<String> transports = data.getTransports() == null ? Set.of()
                : data.getTransports().stream().map(AuthenticatorTransport::getValue).collect(Collectors.toSet());
        var passkey = new Passkey(UUID.randomUUID().toString(), B64URL.encodeToString(credential.getCredentialId()), user.id(), cleanName,
                attestedData.convert(credential), authenticatorData.getSignCount(), authenticatorData.isFlagUV(), authenticatorData.isFlagBE(),
                authenticatorData.isFlagBS(), passwordless, transports, clock.instant(), Optional.empty());
        if (!passkeys.save(passkey))
            return rejectRegistration(user, client, "duplicate", "passkey.duplicate", "This passkey is registered already.");
        audit.success(AuditType.PASSKEY_REGISTERED, Optional.of(user.id()), client);
        mailer.enqueue(mails.passkeyRegistered(user.email(), cleanName));
        return new PasskeyOutcome.Registered(passkey);
    }

    /**
     * PublicKeyCredentialRequestOptions (JSON form). With a user: their passkeys are allowed (second factor, step-up);
     * without (passwordless): any discoverable credential, and the authenticator must verify the user.
     */
    public Map<String, Object> requestOptions(CeremonyStore.Purpose purpose, Optional<UserId> user, Optional<String> binding) {
        String challenge = newCeremony(purpose, user, binding);
        var options = new LinkedHashMap<String, Object>();
        options.put("challenge", challenge);
        options.put("rpId", rpId);
        options.put("timeout", CEREMONY_TTL.toMillis());
        options.put("userVerification", purpose == CeremonyStore.Purpose.PASSWORDLESS ? "required" : "preferred");
        options.put("allowCredentials", user.map(u -> descriptors(passkeys.listByUser(u))).orElse(List.of()));
        return options;
    }

    /**
     * Verifies an assertion answering a challenge of {@code purpose} bound to {@code binding}. Records the new signature
     * counter and backup state; a counter that did not grow is refused as a cloned authenticator and audited.
     */
    public PasskeyOutcome authenticate(CeremonyStore.Purpose purpose, Optional<String> binding, String credentialJson, ClientInfo client) {
        AuthenticationData data;
        try {
            data = webauthn.parseAuthenticationResponseJSON(credentialJson);
        } catch (RuntimeException e) {   // DataConversionException and whatever else a malformed answer makes the parser throw
            return reject(Optional.empty(), client, "malformed", "passkey.malformed", "The passkey's answer could not be read.");
        }
        Optional<byte[]> challenge = Optional.ofNullable(data.getCollectedClientData()).map(c -> c.getChallenge().getValue());
        Optional<Passkey> found = Optional.ofNullable(data.getCredentialId()).flatMap(id -> passkeys.findByCredentialId(B64URL.encodeToString(id)));
        Optional<UserId> owner = found.map(Passkey::user);
        if (challenge.isEmpty() || found.isEmpty())
            return reject(owner, client, "unknown_credential", "passkey.not_recognised", "This passkey is not registered here.");
        Passkey passkey = found.get();
        Optional<UserId> expectedUser = purpose == CeremonyStore.Purpose.PASSWORDLESS ? Optional.empty() : Optional.of(passkey.user());
        if (!takeCeremony(challenge.get(), purpose, expectedUser, binding))
            return reject(owner, client, "unknown_challenge", "passkey.unknown_challenge", "This request has expired or was not for this passkey. Try again.");
        if (purpose == CeremonyStore.Purpose.PASSWORDLESS && !passkey.passwordless())
            return reject(owner, client, "not_passwordless", "passkey.not_passwordless", "This passkey is not allowed to log in without a password.");
        if (data.getUserHandle() != null && !userHandle(passkey.user()).equals(B64URL.encodeToString(data.getUserHandle())))
            return reject(owner, client, "user_handle_mismatch", "passkey.not_recognised", "This passkey is not registered here.");
        boolean uvRequired = purpose == CeremonyStore.Purpose.PASSWORDLESS;
        var record = new CredentialRecordImpl(new NoneAttestationStatement(), passkey.uvInitialized(), passkey.backupEligible(), passkey.backupState(),
                passkey.signCount(), attestedData.convert(passkey.attestedData()), null, null, null,
                passkey.transports().stream().map(AuthenticatorTransport::create).collect(Collectors.toSet()));
        var parameters = new AuthenticationParameters(new ServerProperty(origins, rpId, new DefaultChallenge(challenge.get())), record,
                List.of(B64URL_DECODE.decode(passkey.credentialId())), uvRequired, true);
        try {
            webauthn.verify(data, parameters);
        } catch (MaliciousCounterValueException e) {
            audit.failure(AuditType.PASSKEY_CLONE_DETECTED, "counter_not_increased", owner, client);
            return new PasskeyOutcome.Rejected("passkey.cloned", "This passkey's signature counter went backwards: it may have been copied. It was refused.");
        } catch (BadOriginException e) {
            return reject(owner, client, "bad_origin", "passkey.bad_origin", "The passkey answered for another site.");
        } catch (UserNotVerifiedException e) {
            return reject(owner, client, "user_not_verified", "passkey.user_not_verified", "The passkey did not check your PIN or fingerprint.");
        } catch (VerificationException e) {
            return reject(owner, client, "verification_failed", "passkey.verification_failed", "The passkey could not be verified.");
        }
        var authenticatorData = data.getAuthenticatorData();
        if (authenticatorData.isFlagBE() != passkey.backupEligible())
            return reject(owner, client, "backup_eligibility_changed", "passkey.verification_failed", "The passkey could not be verified.");
        passkeys.used(passkey.id(), authenticatorData.getSignCount(), authenticatorData.isFlagBS(), clock.instant());
        Optional<User> user = users.find(passkey.user()).filter(u -> !u.disabled());
        if (user.isEmpty()) return reject(owner, client, "account_disabled", "passkey.not_recognised", "This passkey is not registered here.");
        return new PasskeyOutcome.Verified(passkey, user.get(), authenticatorData.isFlagUV());
    }

    public boolean rename(UserId user, String id, String name, ClientInfo client) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > MAX_NAME || clean.chars().anyMatch(Character::isISOControl)) return false;
        boolean renamed = passkeys.rename(user, id, clean);
        if (renamed) audit.success(AuditType.PASSKEY_RENAMED, Optional.of(user), client);
        return renamed;
    }

    /** Removes a passkey; like any factor removal, other sessions end and the owner is told (SE-07, SE-09). */
    public boolean remove(User user, String id, Optional<SessionId> keep, ClientInfo client) {
        if (!passkeys.remove(user.id(), id)) return false;
        audit.success(AuditType.PASSKEY_REMOVED, Optional.of(user.id()), client);
        mfa.factorRemoved(user, keep, client, "A passkey");
        return true;
    }

    private String newCeremony(CeremonyStore.Purpose purpose, Optional<UserId> user, Optional<String> binding) {
        String challenge = B64URL.encodeToString(secrets.newBytes(32));
        ceremonies.save(Secrets.hash(challenge), new CeremonyStore.Ceremony(purpose, user, binding, clock.instant().plus(CEREMONY_TTL)));
        return challenge;
    }

    /** Consumes the ceremony of this challenge; true only if it was issued for this purpose, user and binding and is alive. */
    private boolean takeCeremony(byte[] challenge, CeremonyStore.Purpose purpose, Optional<UserId> user, Optional<String> binding) {
        Optional<CeremonyStore.Ceremony> c = ceremonies.consume(Secrets.hash(B64URL.encodeToString(challenge)));
        return c.isPresent() && c.get().purpose() == purpose && clock.instant().isBefore(c.get().expiresAt())
                && (user.isEmpty() || c.get().user().equals(user)) && c.get().binding().equals(binding);
    }

    private PasskeyOutcome rejectRegistration(User user, ClientInfo client, String reason, String id, String message) {
        audit.failure(AuditType.PASSKEY_REGISTRATION_FAILED, reason, Optional.of(user.id()), client);
        return new PasskeyOutcome.Rejected(id, message);
    }

    private PasskeyOutcome reject(Optional<UserId> user, ClientInfo client, String reason, String id, String message) {
        audit.failure(AuditType.PASSKEY_AUTHENTICATION_FAILED, reason, user, client);
        return new PasskeyOutcome.Rejected(id, message);
    }

    private static List<Map<String, Object>> descriptors(List<Passkey> list) {
        return list.stream().map(p -> {
            var d = new LinkedHashMap<String, Object>();
            d.put("type", "public-key");
            d.put("id", p.credentialId());
            if (!p.transports().isEmpty()) d.put("transports", p.transports().stream().sorted().toList());
            return (Map<String, Object>) d;
        }).toList();
    }

    /** The WebAuthn user handle: the account's UUID as 16 bytes, no personal data. */
    static String userHandle(UserId user) {
        UUID id = user.value();
        return B64URL.encodeToString(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
    }
}
