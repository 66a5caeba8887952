package dev.doorman.client;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a client registration must satisfy (SECURITY.md OA-04, OA-14, OA-24, JW-10). Every problem names the field, as
 * the provisioning file names it, and the rule. A pure function: the service adds what needs the database (a free id).
 */
public final class ClientRules {
    /** Client ids: what a URL, a form and a log line carry without quoting. */
    public static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{2,63}");
    /** User ids are UUIDs, with or without dashes; a client_id looking like one could equal a user's {@code sub}. */
    private static final Pattern UUID_SHAPED = Pattern.compile("(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}");
    /** RFC 6749 §3.3 scope-token. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}");
    private static final Pattern AUDIENCE = Pattern.compile("[\\x21-\\x7E]{1,255}");
    public static final int MAX_NAME = 200;
    public static final int MAX_LIST = 100;
    public static final int MAX_JWKS_CHARS = 64 * 1024;
    public static final Duration MAX_ACCESS_TOKEN_TTL = Duration.ofHours(1);
    public static final Duration MAX_REFRESH_TOKEN_TTL = Duration.ofDays(365);
    /**
     * Algorithms a client may sign its assertions with. Never HS* (a shared secret) or none. Not EdDSA: the Nimbus OAuth
     * SDK (11.39) parses client assertions into {@code PrivateKeyJWT}, which accepts only RSA and ECDSA signatures, so an
     * Ed25519 assertion could never reach {@link DefaultClientAuthenticator}.
     */
    public static final Set<JWSAlgorithm> ASSERTION_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    public static final int MIN_RSA_BITS = 2048;

    private static final Map<String, GrantType> GRANTS = Map.of(
            GrantType.AUTHORIZATION_CODE.getValue(), GrantType.AUTHORIZATION_CODE,
            GrantType.REFRESH_TOKEN.getValue(), GrantType.REFRESH_TOKEN,
            GrantType.CLIENT_CREDENTIALS.getValue(), GrantType.CLIENT_CREDENTIALS);
    private static final List<ClientAuthenticationMethod> METHODS = List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
            ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.PRIVATE_KEY_JWT, ClientAuthenticationMethod.NONE);

    private ClientRules() {
    }

    public sealed interface Validation {
        /** @param jwks the parsed public keys of a private_key_jwt client */
        record Valid(RegisteredClient client, Optional<JWKSet> jwks) implements Validation { }

        record Invalid(List<ClientProblem> problems) implements Validation {
            public Invalid {
                problems = List.copyOf(problems);
                if (problems.isEmpty()) throw new IllegalArgumentException("an invalid registration has at least one problem");
            }
        }
    }

    /** Whether this can be a client_id, and if not, why. */
    public static Optional<String> clientIdProblem(String id) {
        if (id == null || id.isEmpty()) return Optional.of("missing");
        if (!CLIENT_ID.matcher(id).matches())
            return Optional.of(quote(id) + " is not a client id: 3 to 64 letters, digits and . _ - starting with a letter or digit");
        if (UUID_SHAPED.matcher(id).matches())
            return Optional.of(quote(id) + " looks like a UUID: user ids are UUIDs, and a client_id must never equal a user's sub (RFC 9700 §4.15)");
        return Optional.empty();
    }

    public static Validation validate(ClientRegistration r) {
        var problems = new ArrayList<ClientProblem>();
        Optional<ClientID> id = r.id();
        if (id.isEmpty()) problems.add(new ClientProblem("clientId", "missing"));
        else clientIdProblem(id.get().getValue()).ifPresent(p -> problems.add(new ClientProblem("clientId", p)));

        String name = r.name().strip();
        if (name.isEmpty()) problems.add(new ClientProblem("name", "missing"));
        else if (name.length() > MAX_NAME) problems.add(new ClientProblem("name", "must be at most " + MAX_NAME + " characters"));
        else if (name.chars().anyMatch(Character::isISOControl)) problems.add(new ClientProblem("name", "must not contain control characters"));

        ClientAuthenticationMethod method = authMethod(r, problems);
        Set<GrantType> grants = grantTypes(r, problems);
        List<URI> redirectUris = redirectUris(r, grants, problems);
        Scope scope = scope(r, grants, problems);
        List<Audience> audiences = audiences(r, problems);
        Optional<JWKSet> jwks = jwks(r, method, problems);
        ttl("accessTokenTtl", r.accessTokenTtl(), MAX_ACCESS_TOKEN_TTL, problems);
        ttl("refreshTokenTtl", r.refreshTokenTtl(), MAX_REFRESH_TOKEN_TTL, problems);

        if (!problems.isEmpty()) return new Validation.Invalid(problems);
        var client = new RegisteredClient(id.orElseThrow(), name, r.confidential(), method, redirectUris, grants, scope, audiences,
                r.accessTokenTtl(), r.refreshTokenTtl(), r.consentRequired());
        return new Validation.Valid(client, jwks);
    }

    private static ClientAuthenticationMethod authMethod(ClientRegistration r, List<ClientProblem> problems) {
        ClientAuthenticationMethod fallback = r.confidential() ? ClientAuthenticationMethod.CLIENT_SECRET_BASIC : ClientAuthenticationMethod.NONE;
        ClientAuthenticationMethod method = r.authMethod().orElse(fallback);
        if (!METHODS.contains(method)) {
            problems.add(new ClientProblem("authMethod", quote(method.getValue()) + " is not supported (use client_secret_basic, "
                    + "client_secret_post or private_key_jwt; none for a public client)"));
            return fallback;
        }
        if (r.confidential() && method.equals(ClientAuthenticationMethod.NONE))
            problems.add(new ClientProblem("authMethod", "a confidential client must authenticate: none is only for public clients"));
        if (!r.confidential() && !method.equals(ClientAuthenticationMethod.NONE))
            problems.add(new ClientProblem("authMethod", "a public client has no credentials and authenticates with none, not " + method.getValue()));
        return method;
    }

    private static Set<GrantType> grantTypes(ClientRegistration r, List<ClientProblem> problems) {
        List<String> raw = r.grantTypes().isEmpty()
                ? List.of(GrantType.AUTHORIZATION_CODE.getValue(), GrantType.REFRESH_TOKEN.getValue()) : r.grantTypes();
        var grants = new LinkedHashSet<GrantType>();
        for (int i = 0; i < raw.size(); i++) {
            GrantType grant = GRANTS.get(raw.get(i));
            if (grant == null)
                problems.add(new ClientProblem("grantTypes[" + i + "]", quote(raw.get(i))
                        + " is not supported (allowed: authorization_code, refresh_token, client_credentials)"));
            else if (!grants.add(grant)) problems.add(new ClientProblem("grantTypes[" + i + "]", quote(raw.get(i)) + " is listed twice"));
        }
        if (grants.contains(GrantType.REFRESH_TOKEN) && !grants.contains(GrantType.AUTHORIZATION_CODE))
            problems.add(new ClientProblem("grantTypes", "refresh_token needs authorization_code (refresh tokens come only from a user's authorization)"));
        if (!r.confidential() && grants.contains(GrantType.CLIENT_CREDENTIALS))
            problems.add(new ClientProblem("grantTypes", "a public client cannot use client_credentials: it has no credentials"));
        return grants;
    }

    private static List<URI> redirectUris(ClientRegistration r, Set<GrantType> grants, List<ClientProblem> problems) {
        if (r.redirectUris().size() > MAX_LIST)
            problems.add(new ClientProblem("redirectUris", "at most " + MAX_LIST + " redirect URIs"));
        boolean code = grants.contains(GrantType.AUTHORIZATION_CODE);
        if (code && r.redirectUris().isEmpty())
            problems.add(new ClientProblem("redirectUris", "at least one is needed for the authorization_code grant"));
        if (!code && !r.redirectUris().isEmpty())
            problems.add(new ClientProblem("redirectUris", "only the authorization_code grant uses redirect URIs: remove them or add that grant"));
        var uris = new ArrayList<URI>();
        var seen = new LinkedHashSet<String>();
        for (int i = 0; i < r.redirectUris().size(); i++) {
            String raw = r.redirectUris().get(i);
            String field = "redirectUris[" + i + "]";
            Optional<String> problem = RedirectUris.registrationProblem(raw);
            if (problem.isPresent()) problems.add(new ClientProblem(field, quote(raw) + " " + problem.get()));
            else if (!seen.add(raw)) problems.add(new ClientProblem(field, quote(raw) + " is listed twice"));
            else uris.add(URI.create(raw));
        }
        return uris;
    }

    private static Scope scope(ClientRegistration r, Set<GrantType> grants, List<ClientProblem> problems) {
        List<String> raw = r.scopes().isEmpty() && grants.contains(GrantType.AUTHORIZATION_CODE) ? List.of("openid") : r.scopes();
        if (raw.size() > MAX_LIST) problems.add(new ClientProblem("scopes", "at most " + MAX_LIST + " scopes"));
        var scope = new Scope();
        for (int i = 0; i < raw.size(); i++) {
            String value = raw.get(i);
            if (!SCOPE_TOKEN.matcher(value).matches())
                problems.add(new ClientProblem("scopes[" + i + "]", quote(value) + " is not a scope: 1 to 128 printable ASCII characters without spaces, \" or \\ (RFC 6749 §3.3)"));
            else if (scope.contains(value)) problems.add(new ClientProblem("scopes[" + i + "]", quote(value) + " is listed twice"));
            else scope.add(value);
        }
        return scope;
    }

    private static List<Audience> audiences(ClientRegistration r, List<ClientProblem> problems) {
        if (r.audiences().size() > MAX_LIST) problems.add(new ClientProblem("audiences", "at most " + MAX_LIST + " audiences"));
        var audiences = new LinkedHashMap<String, Audience>();
        for (int i = 0; i < r.audiences().size(); i++) {
            String value = r.audiences().get(i);
            if (!AUDIENCE.matcher(value).matches())
                problems.add(new ClientProblem("audiences[" + i + "]", quote(value) + " is not an audience: 1 to 255 printable ASCII characters without spaces"));
            else if (audiences.putIfAbsent(value, new Audience(value)) != null)
                problems.add(new ClientProblem("audiences[" + i + "]", quote(value) + " is listed twice"));
        }
        return List.copyOf(audiences.values());
    }

    private static Optional<JWKSet> jwks(ClientRegistration r, ClientAuthenticationMethod method, List<ClientProblem> problems) {
        boolean keyAuth = method.equals(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        if (r.jwks().isEmpty()) {
            if (keyAuth) problems.add(new ClientProblem("jwks", "missing: a private_key_jwt client needs its public keys (a JWK set)"));
            return Optional.empty();
        }
        if (!keyAuth) {
            problems.add(new ClientProblem("jwks", "only a private_key_jwt client has a JWK set"));
            return Optional.empty();
        }
        String json = r.jwks().get();
        if (json.length() > MAX_JWKS_CHARS) {
            problems.add(new ClientProblem("jwks", "must be at most " + MAX_JWKS_CHARS + " characters"));
            return Optional.empty();
        }
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException e) {
            problems.add(new ClientProblem("jwks", "not a JWK set: " + e.getMessage()));
            return Optional.empty();
        }
        if (set.isEmpty()) problems.add(new ClientProblem("jwks", "holds no keys"));
        if (set.getKeys().size() > 20) problems.add(new ClientProblem("jwks", "at most 20 keys"));
        int before = problems.size();
        for (int i = 0; i < set.getKeys().size(); i++) {
            keyProblem(set.getKeys().get(i)).ifPresent(p -> problems.add(new ClientProblem("jwks", p)));
        }
        return problems.size() == before ? Optional.of(set) : Optional.empty();
    }

    /** Only public signing keys that fit an allowed algorithm: RSA of 2048 bits or more, EC P-256. */
    private static Optional<String> keyProblem(JWK key) {
        String which = "key " + Optional.ofNullable(key.getKeyID()).map(ClientRules::quote).orElse("#" + key.getKeyType());
        if (key.isPrivate()) return Optional.of(which + " has private parts: register the public key only");
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse()))
            return Optional.of(which + " has use " + quote(key.getKeyUse().identifier()) + ", not sig");
        Algorithm alg = key.getAlgorithm();
        if (alg != null && !ASSERTION_ALGORITHMS.contains(JWSAlgorithm.parse(alg.getName())))
            return Optional.of(which + " has alg " + quote(alg.getName()) + ": allowed are RS256, PS256, ES256");
        return switch (key) {
            case RSAKey rsa -> rsa.size() < MIN_RSA_BITS ? Optional.of(which + " is an RSA key of " + rsa.size() + " bits: at least " + MIN_RSA_BITS)
                    : alg != null && !JWSAlgorithm.Family.RSA.contains(alg) ? Optional.of(which + " is an RSA key but has alg " + alg.getName())
                    : Optional.empty();
            case ECKey ec -> !Curve.P_256.equals(ec.getCurve()) ? Optional.of(which + " is on curve " + ec.getCurve() + ": only P-256 (ES256)")
                    : alg != null && !JWSAlgorithm.ES256.equals(alg) ? Optional.of(which + " is a P-256 key but has alg " + alg.getName())
                    : Optional.empty();
            default -> Optional.of(which + " is of type " + key.getKeyType() + ": only RSA (RS256, PS256) and EC P-256 (ES256) public keys");
        };
    }

    private static void ttl(String field, Optional<Duration> ttl, Duration max, List<ClientProblem> problems) {
        ttl.filter(d -> d.isNegative() || d.isZero() || d.compareTo(max) > 0)
                .ifPresent(d -> problems.add(new ClientProblem(field, "must be positive and at most " + max + ", got " + d)));
    }

    private static String quote(String value) {
        String cut = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return "\"" + cut.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
