package dev.doorman.oauth2.authorize;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCError;
import com.nimbusds.openid.connect.sdk.Prompt;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.client.ClientRegistry;
import dev.doorman.client.RegisteredClient;
import dev.doorman.consent.ConsentStore;
import dev.doorman.oauth2.GrantId;
import dev.doorman.oauth2.OAuth2Paths;
import dev.doorman.oauth2.code.CodeGrant;
import dev.doorman.oauth2.code.CodeStore;
import dev.doorman.oauth2.par.PushedRequestStore;
import dev.doorman.account.UserId;
import dev.doorman.session.Session;
import dev.doorman.session.SessionId;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The authorization endpoint's logic (RFC 6749 §4.1, OIDC Core §3.1.2, RFC 9126, RFC 9207): decides whether a
 * request is trusted enough to redirect at all, then whether it is valid, then whether the user must log in or
 * consent, and finally issues the code. Never sees Javalin.
 */
public final class AuthorizeService {
    public static final String REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";
    /** How long a pushed request lives (RFC 9126 recommends a short lifetime). */
    public static final Duration PUSHED_TTL = Duration.ofSeconds(60);
    /** How long a request waits for the user to log in or to decide on the consent page. */
    static final Duration PENDING_TTL = Duration.ofMinutes(10);

    /** How a PAR request ended. */
    public sealed interface PushOutcome {
        record Pushed(String requestUri, long expiresIn) implements PushOutcome { }

        record Rejected(ErrorObject error) implements PushOutcome { }
    }

    private enum Decision { NONE, APPROVED, DENIED }

    /** The request checked as far as it can be without the user. */
    private sealed interface Check {
        record Untrusted(String message) implements Check { }

        record Invalid(URI redirect, State state, ErrorObject error) implements Check { }

        record Valid(URI redirect, State state, AuthorizationRequest request, Scope scope, Optional<Nonce> nonce, int maxAge,
                     Optional<String> loginHint) implements Check { }
    }

    private final ClientRegistry clients;
    private final CodeStore codes;
    private final ConsentStore consents;
    private final PushedRequestStore pending;
    private final Secrets secrets;
    private final Clock clock;
    private final Issuer issuer;
    private final Duration codeTtl;
    private final AuditLog audit;
    private final Predicate<UserId> canStepUp;

    /** @param canStepUp whether a user has a second factor to pass when a client asks for one ({@code acr_values}) */
    public AuthorizeService(ClientRegistry clients, CodeStore codes, ConsentStore consents, PushedRequestStore pending, Secrets secrets,
                            Clock clock, Issuer issuer, Duration codeTtl, AuditLog audit, Predicate<UserId> canStepUp) {
        this.audit = audit;
        this.canStepUp = canStepUp;
        this.clients = clients;
        this.codes = codes;
        this.consents = consents;
        this.pending = pending;
        this.secrets = secrets;
        this.clock = clock;
        this.issuer = issuer;
        this.codeTtl = codeTtl;
    }

    /** {@code GET/POST /oauth2/authorize} with its parameters, as sent or via {@code request_uri}. */
    public AuthorizeOutcome authorize(Map<String, List<String>> raw, Optional<Session> session, ClientInfo from) {
        List<String> ids = raw.getOrDefault("client_id", List.of());
        if (ids.size() != 1 || ids.getFirst().isBlank()) {
            audit.failure(AuditType.AUTHORIZATION_REFUSED, "client_id_missing_or_repeated", session.map(Session::user), from);
            return new AuthorizeOutcome.Refused("The request must name the application exactly once (client_id).");
        }
        var clientId = new ClientID(ids.getFirst());
        Optional<RegisteredClient> client = clients.find(clientId);
        if (client.isEmpty()) {
            // An unregistered client_id is attacker-chosen text: kept only as a hash.
            audit.unknownIdentifier(AuditType.AUTHORIZATION_REFUSED, AuditEvent.Outcome.FAILURE, "unknown_client", clientId.getValue(), from);
            return new AuthorizeOutcome.Refused("The application that sent you here is not registered.");
        }
        Map<String, List<String>> params = raw;
        List<String> requestUris = raw.getOrDefault("request_uri", List.of());
        if (!requestUris.isEmpty()) {
            String uri = requestUris.getFirst();
            Optional<Map<String, List<String>>> stored = requestUris.size() == 1 && uri.startsWith(REQUEST_URI_PREFIX)
                    ? pending.consume(Secrets.hash(uri), clientId) : Optional.empty();
            if (stored.isEmpty() || !ids.equals(stored.get().get("client_id"))) {
                refused(client.get(), session, "request_uri_expired_or_used", from);
                return new AuthorizeOutcome.Refused("This sign-in request has expired or was already used. Go back to the application and try again.");
            }
            params = stored.get();
        }
        return proceed(client.get(), params, session, Decision.NONE, from);
    }

    /** What the consent page shows; the pending request is bound to the session that was asked. */
    public ConsentView consentPage(ClientID clientId, String pendingId, Session session) {
        Optional<Map<String, List<String>>> params = takePending(clientId, pendingId, session.id());
        Optional<RegisteredClient> client = clients.find(clientId);
        if (params.isEmpty() || client.isEmpty()) return new ConsentView.Expired();
        if (!(check(client.get(), params.get()) instanceof Check.Valid valid)) return new ConsentView.Expired();
        String decisionId = savePending(session.id(), client.get().id(), params.get());
        return new ConsentView.Ask(clientId, client.get().name(), ScopeWords.describe(valid.scope()), decisionId, valid.redirect());
    }

    /** The user approved or denied on the consent page. */
    public AuthorizeOutcome decide(ClientID clientId, String decisionId, Session session, boolean approved, ClientInfo from) {
        Optional<Map<String, List<String>>> params = takePending(clientId, decisionId, session.id());
        Optional<RegisteredClient> client = clients.find(clientId);
        if (params.isEmpty() || client.isEmpty()) {
            audit.failure(AuditType.AUTHORIZATION_REFUSED, "consent_request_expired", Optional.of(session.user()), from);
            return new AuthorizeOutcome.Refused("This consent request has expired or was already answered. Go back to the application and try again.");
        }
        return proceed(client.get(), params.get(), Optional.of(session), approved ? Decision.APPROVED : Decision.DENIED, from);
    }

    /** {@code POST /oauth2/par} by an authenticated client: validated like an authorization request, then stored. */
    public PushOutcome push(RegisteredClient client, Map<String, List<String>> raw, ClientInfo from) {
        PushOutcome outcome = pushChecked(client, raw);
        if (outcome instanceof PushOutcome.Rejected r)
            refused(client, Optional.empty(), "pushed_request." + r.error().getCode(), from);
        return outcome;
    }

    private PushOutcome pushChecked(RegisteredClient client, Map<String, List<String>> raw) {
        if (raw.containsKey("request_uri"))
            return new PushOutcome.Rejected(OAuth2Error.INVALID_REQUEST.setDescription("request_uri is not allowed in a pushed request"));
        List<String> ids = raw.get("client_id");
        if (ids != null && (ids.size() != 1 || !ids.getFirst().equals(client.id().getValue())))
            return new PushOutcome.Rejected(OAuth2Error.INVALID_REQUEST.setDescription("client_id does not match the authenticated client"));
        Map<String, List<String>> params = new LinkedHashMap<>(raw);
        params.put("client_id", List.of(client.id().getValue()));
        return switch (check(client, params)) {
            case Check.Untrusted u -> new PushOutcome.Rejected(OAuth2Error.INVALID_REQUEST.setDescription(u.message()));
            case Check.Invalid i -> new PushOutcome.Rejected(i.error());
            case Check.Valid v -> {
                String requestUri = REQUEST_URI_PREFIX + secrets.newToken();
                pending.save(Secrets.hash(requestUri), client.id(), params, clock.instant().plus(PUSHED_TTL));
                yield new PushOutcome.Pushed(requestUri, PUSHED_TTL.toSeconds());
            }
        };
    }

    private AuthorizeOutcome proceed(RegisteredClient client, Map<String, List<String>> params, Optional<Session> session, Decision decision,
                                     ClientInfo from) {
        return switch (check(client, params)) {
            case Check.Untrusted u -> {
                refused(client, session, "untrusted_redirect", from);
                yield new AuthorizeOutcome.Refused(u.message());
            }
            case Check.Invalid i -> {
                refused(client, session, i.error().getCode(), from);
                yield toClient(i.redirect(), i.state(), i.error());
            }
            case Check.Valid v -> proceedValid(client, params, session, decision, v, from);
        };
    }

    private void refused(RegisteredClient client, Optional<Session> session, String reason, ClientInfo from) {
        audit.authorizationEvent(AuditType.AUTHORIZATION_REFUSED, AuditEvent.Outcome.FAILURE, Optional.of(reason), session.map(Session::user),
                client.id().getValue(), from);
    }

    private AuthorizeOutcome proceedValid(RegisteredClient client, Map<String, List<String>> params, Optional<Session> session,
                                          Decision decision, Check.Valid v, ClientInfo from) {
        Prompt prompt = v.request().getPrompt();
        boolean none = prompt != null && prompt.contains(Prompt.Type.NONE);
        boolean forceLogin = prompt != null && prompt.contains(Prompt.Type.LOGIN);
        boolean forceConsent = prompt != null && prompt.contains(Prompt.Type.CONSENT);
        Instant now = clock.instant();
        boolean tooOld = session.isPresent() && v.maxAge() >= 0
                && session.get().authTime().plusSeconds(v.maxAge()).isBefore(now);
        if (session.isEmpty() || forceLogin || tooOld) {
            if (none) {
                refused(client, session, OIDCError.LOGIN_REQUIRED.getCode(), from);
                return toClient(v.redirect(), v.state(), OIDCError.LOGIN_REQUIRED);
            }
            String requestUri = REQUEST_URI_PREFIX + secrets.newToken();
            pending.save(Secrets.hash(requestUri), client.id(), withoutLoginPrompt(params), now.plus(PENDING_TTL));
            String returnTo = OAuth2Paths.AUTHORIZE + "?client_id=" + encode(client.id().getValue()) + "&request_uri=" + encode(requestUri);
            return new AuthorizeOutcome.NeedsLogin(returnTo, v.loginHint());
        }
        Session s = session.get();
        if (decision == Decision.NONE && needsSecondFactor(v, s, now)) {
            if (none) {
                refused(client, session, "step_up_" + OIDCError.LOGIN_REQUIRED.getCode(), from);
                return toClient(v.redirect(), v.state(), OIDCError.LOGIN_REQUIRED);
            }
            String requestUri = REQUEST_URI_PREFIX + secrets.newToken();
            pending.save(Secrets.hash(requestUri), client.id(), params, now.plus(PENDING_TTL));
            return new AuthorizeOutcome.NeedsSecondFactor(OAuth2Paths.AUTHORIZE + "?client_id=" + encode(client.id().getValue())
                    + "&request_uri=" + encode(requestUri));
        }
        if (decision == Decision.DENIED) {
            audit.authorizationEvent(AuditType.CONSENT_DENIED, AuditEvent.Outcome.SUCCESS, Optional.empty(), Optional.of(s.user()),
                    client.id().getValue(), from);
            return toClient(v.redirect(), v.state(), OAuth2Error.ACCESS_DENIED.setDescription("The user denied the request"));
        }
        if (decision == Decision.APPROVED) {
            consents.save(s.user(), client.id(), v.scope());
            audit.authorizationEvent(AuditType.CONSENT_GRANTED, AuditEvent.Outcome.SUCCESS, Optional.of(v.scope().toString()),
                    Optional.of(s.user()), client.id().getValue(), from);
        } else if (client.consentRequired() && (forceConsent || !consentCovers(s, client, v.scope()))) {
            if (none) {
                refused(client, session, OIDCError.CONSENT_REQUIRED.getCode(), from);
                return toClient(v.redirect(), v.state(), OIDCError.CONSENT_REQUIRED);
            }
            String id = savePending(s.id(), client.id(), params);
            return new AuthorizeOutcome.NeedsConsent(client.id(), id);
        }
        String code = secrets.newToken();
        codes.save(Secrets.hash(code), new CodeGrant(GrantId.random().value(), client.id(), v.redirect(), v.request().getCodeChallenge(),
                v.scope(), v.nonce(), s.user(), s.id(), s.authTime(), s.amr(), Optional.of(s.acr()), now.plus(codeTtl)));
        audit.authorizationEvent(AuditType.AUTHORIZATION_GRANTED, AuditEvent.Outcome.SUCCESS, Optional.of(v.scope().toString()),
                Optional.of(s.user()), client.id().getValue(), from);
        return new AuthorizeOutcome.ToClient(new AuthorizationSuccessResponse(v.redirect(), new AuthorizationCode(code), null, v.state(),
                issuer, ResponseMode.QUERY).toURI());
    }

    private Check check(RegisteredClient client, Map<String, List<String>> params) {
        List<String> redirects = params.getOrDefault("redirect_uri", List.of());
        if (redirects.size() != 1)
            return new Check.Untrusted("The request must name exactly one redirect URI (redirect_uri).");
        URI redirect;
        try {
            redirect = new URI(redirects.getFirst());
        } catch (URISyntaxException e) {
            return new Check.Untrusted("The redirect URI is not valid.");
        }
        if (!redirect.isAbsolute() || !client.allowsRedirect(redirect))
            return new Check.Untrusted("The redirect URI is not registered for this application.");
        // From here on the redirect URI is trusted: errors go back to the client.
        State state = Optional.ofNullable(params.get("state")).filter(l -> !l.isEmpty() && !l.getFirst().isEmpty())
                .map(l -> new State(l.getFirst())).orElse(null);
        for (var entry : params.entrySet())
            if (entry.getValue().size() > 1) return invalid(redirect, state, OAuth2Error.INVALID_REQUEST, "parameter " + entry.getKey() + " is repeated");
        if (params.containsKey("request"))
            return new Check.Invalid(redirect, state, OAuth2Error.REQUEST_NOT_SUPPORTED);
        String responseType = first(params, "response_type");
        if (responseType == null) return invalid(redirect, state, OAuth2Error.INVALID_REQUEST, "response_type is missing");
        if (!responseType.equals("code"))
            return invalid(redirect, state, OAuth2Error.UNSUPPORTED_RESPONSE_TYPE, "only response_type=code is supported");
        String responseMode = first(params, "response_mode");
        if (responseMode != null && !responseMode.equals("query"))
            return invalid(redirect, state, OAuth2Error.INVALID_REQUEST, "only response_mode=query is supported");
        Scope requested = Scope.parse(first(params, "scope"));
        if (requested == null || requested.isEmpty()) return invalid(redirect, state, OAuth2Error.INVALID_SCOPE, "scope is missing");
        if (client.scope() == null || !client.scope().containsAll(requested))
            return invalid(redirect, state, OAuth2Error.INVALID_SCOPE, "the application may not ask for this scope");
        boolean oidc = requested.contains("openid");
        AuthorizationRequest request;
        try {
            request = oidc ? AuthenticationRequest.parse(params) : AuthorizationRequest.parse(params);
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST;
            return invalid(redirect, state, error, e.getMessage());
        }
        if (request.getCodeChallenge() == null)
            return invalid(redirect, state, OAuth2Error.INVALID_REQUEST, "code_challenge is required (PKCE)");
        if (!CodeChallengeMethod.S256.equals(request.getCodeChallengeMethod()))
            return invalid(redirect, state, OAuth2Error.INVALID_REQUEST, "code_challenge_method must be S256");
        if (!oidc) return new Check.Valid(redirect, state, request, requested, Optional.empty(), -1, Optional.empty());
        var authn = (AuthenticationRequest) request;
        return new Check.Valid(redirect, state, request, requested, Optional.ofNullable(authn.getNonce()), authn.getMaxAge(),
                Optional.ofNullable(authn.getLoginHint()));
    }

    /**
     * acr_values naming the multi-factor class ask for a second factor (a voluntary claim, OIDC Core §3.1.2.1): a user who
     * has one must pass it, within max_age when that is given; a user without one gets a token whose acr says so.
     */
    private boolean needsSecondFactor(Check.Valid v, Session s, Instant now) {
        if (!(v.request() instanceof AuthenticationRequest authn) || authn.getACRValues() == null) return false;
        boolean asked = authn.getACRValues().stream().anyMatch(acr -> Session.ACR_MULTI_FACTOR.equals(acr.getValue()));
        if (!asked) return false;
        boolean fresh = s.amr().contains("mfa") && (v.maxAge() < 0 || s.secondFactorSince(now.minusSeconds(v.maxAge())));
        return !fresh && canStepUp.test(s.user());
    }

    private boolean consentCovers(Session session, RegisteredClient client, Scope scope) {
        return consents.find(session.user(), client.id()).map(s -> s.containsAll(scope)).orElse(false);
    }

    private AuthorizeOutcome.ToClient toClient(URI redirect, State state, ErrorObject error) {
        String description = error.getDescription() == null ? null : error.getDescription().replaceAll("[\\p{Cntrl}<>\"]", " ");
        var clean = new ErrorObject(error.getCode(), description);
        return new AuthorizeOutcome.ToClient(new AuthorizationErrorResponse(redirect, clean, state, issuer, ResponseMode.QUERY).toURI());
    }

    private static Check.Invalid invalid(URI redirect, State state, ErrorObject error, String description) {
        return new Check.Invalid(redirect, state, error.setDescription(description));
    }

    /** A pending request bound to a session: stored under the hash of the session id and a fresh random id. */
    private String savePending(SessionId session, ClientID client, Map<String, List<String>> params) {
        String id = secrets.newToken();
        pending.save(consentKey(session, id), client, params, clock.instant().plus(PENDING_TTL));
        return id;
    }

    private Optional<Map<String, List<String>>> takePending(ClientID client, String id, SessionId session) {
        if (!Secrets.looksLikeToken(id)) return Optional.empty();
        return pending.consume(consentKey(session, id), client);
    }

    private static String consentKey(SessionId session, String id) {
        return Secrets.hash("consent|" + session + "|" + id);
    }

    /** After the login the request must not ask for it again. */
    private static Map<String, List<String>> withoutLoginPrompt(Map<String, List<String>> params) {
        Map<String, List<String>> copy = new LinkedHashMap<>(params);
        String prompt = first(params, "prompt");
        if (prompt == null) return copy;
        String rest = String.join(" ", java.util.Arrays.stream(prompt.split(" ")).filter(p -> !p.equals("login")).toList());
        if (rest.isBlank()) copy.remove("prompt");
        else copy.put("prompt", List.of(rest));
        return copy;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
