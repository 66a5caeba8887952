package dev.doorman;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import dev.doorman.account.AccountEndpoint;
import dev.doorman.account.AccountService;
import dev.doorman.account.ActionTokens;
import dev.doorman.account.JdbiActionTokenStore;
import dev.doorman.account.JdbiRoleStore;
import dev.doorman.account.JdbiUserStore;
import dev.doorman.account.PasswordHasher;
import dev.doorman.account.PasswordPolicy;
import dev.doorman.account.RoleStore;
import dev.doorman.account.UserId;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditStore;
import dev.doorman.audit.JdbiAuditStore;
import dev.doorman.client.ClientAuthenticator;
import dev.doorman.client.ClientRegistry;
import dev.doorman.client.ClientService;
import dev.doorman.client.ClientStore;
import dev.doorman.client.DefaultClientAuthenticator;
import dev.doorman.client.JdbiAssertionJtiStore;
import dev.doorman.client.JdbiClientStore;
import dev.doorman.consent.ConsentEndpoint;
import dev.doorman.consent.ConsentWithdrawal;
import dev.doorman.consent.ConsentStore;
import dev.doorman.consent.JdbiConsentStore;
import dev.doorman.db.Database;
import dev.doorman.db.ServerSecrets;
import dev.doorman.keys.JdbiSigningKeyStore;
import dev.doorman.keys.JwksEndpoint;
import dev.doorman.keys.KeyEncryption;
import dev.doorman.keys.KeyRotationSchedule;
import dev.doorman.keys.SigningKeys;
import dev.doorman.keys.TokenSigner;
import dev.doorman.login.LoginEndpoint;
import dev.doorman.login.LoginService;
import dev.doorman.mail.DevOutbox;
import dev.doorman.mail.DevOutboxEndpoint;
import dev.doorman.mail.MailSender;
import dev.doorman.mail.Mailer;
import dev.doorman.mail.Mails;
import dev.doorman.mail.SmtpMailSender;
import dev.doorman.mfa.JdbiCeremonyStore;
import dev.doorman.mfa.JdbiLoginChallengeStore;
import dev.doorman.mfa.JdbiPasskeyStore;
import dev.doorman.mfa.PasskeyEndpoint;
import dev.doorman.mfa.PasskeyService;
import dev.doorman.mfa.JdbiRecoveryCodeStore;
import dev.doorman.mfa.JdbiTotpStore;
import dev.doorman.mfa.MfaEndpoint;
import dev.doorman.mfa.MfaLoginService;
import dev.doorman.mfa.MfaMails;
import dev.doorman.mfa.MfaService;
import dev.doorman.mfa.StepUpGate;
import dev.doorman.mfa.StepUpService;
import dev.doorman.oauth2.OAuth2Paths;
import dev.doorman.oauth2.authorize.AuthorizeEndpoint;
import dev.doorman.oauth2.authorize.AuthorizeService;
import dev.doorman.oauth2.code.CodeStore;
import dev.doorman.oauth2.code.JdbiCodeStore;
import dev.doorman.oauth2.par.JdbiPushedRequestStore;
import dev.doorman.oauth2.par.ParEndpoint;
import dev.doorman.oidc.DiscoveryEndpoint;
import dev.doorman.oidc.EndSessionEndpoint;
import dev.doorman.oidc.EndSessionService;
import dev.doorman.oidc.ProviderMetadata;
import dev.doorman.oauth2.introspection.IntrospectionEndpoint;
import dev.doorman.oauth2.introspection.IntrospectionService;
import dev.doorman.oauth2.revocation.JdbiRevocationList;
import dev.doorman.oauth2.revocation.RevocationEndpoint;
import dev.doorman.oauth2.revocation.RevocationList;
import dev.doorman.oauth2.revocation.RevocationService;
import dev.doorman.oauth2.revocation.RevokedTokensEndpoint;
import dev.doorman.oauth2.token.AccessTokenVerifier;
import dev.doorman.oauth2.token.AuthorizationCodeGrantHandler;
import dev.doorman.oauth2.token.ClientCredentialsGrantHandler;
import dev.doorman.oauth2.token.JdbiAccessTokenLedger;
import dev.doorman.oauth2.token.JdbiRefreshTokenStore;
import dev.doorman.oauth2.token.RefreshTokenGrantHandler;
import dev.doorman.oauth2.token.TokenEndpoint;
import dev.doorman.oauth2.token.TokenFactory;
import dev.doorman.oauth2.token.TokenIssuer;
import dev.doorman.oauth2.token.TokenRevoker;
import dev.doorman.oauth2.token.TokensOf;
import dev.doorman.oidc.UserInfoEndpoint;
import dev.doorman.oidc.UserInfoService;
import dev.doorman.recovery.RecoveryEndpoint;
import dev.doorman.recovery.RecoveryService;
import dev.doorman.registration.RegistrationEndpoint;
import dev.doorman.registration.RegistrationService;
import dev.doorman.session.JdbiSessionStore;
import dev.doorman.session.Session;
import dev.doorman.session.SessionEndListener;
import dev.doorman.session.SessionId;
import dev.doorman.session.SessionService;
import dev.doorman.support.Secrets;
import dev.doorman.verification.VerificationEndpoint;
import dev.doorman.verification.VerificationService;
import dev.doorman.web.AssetEndpoint;
import dev.doorman.web.Authn;
import dev.doorman.web.BackChannelEndpoints;
import dev.doorman.web.Cookies;
import dev.doorman.web.Csrf;
import dev.doorman.web.HealthEndpoint;
import dev.doorman.web.Layout;
import dev.doorman.web.RouteTable;
import dev.doorman.web.SecurityHeaders;
import dev.doorman.web.Views;
import dev.doorman.web.WebErrors;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Doorman's one entry point: builds every feature from the settings and the database, and installs the routes,
 * session handling, CSRF defence, security headers and error mapping into a Javalin app. The standalone server
 * and an embedding application both use it, so things are wired in exactly one place.
 *
 * <pre>{@code
 * var doorman = Doorman.builder(DoormanSettings.dev(URI.create("http://localhost:7070")), database).build();
 * var app = Javalin.create(config -> {
 *     doorman.install(config);
 *     config.routes.get("/hello", ctx -> ctx.result(doorman.currentUser(ctx).map(u -> "Hello " + u.email()).orElse("Hello stranger")));
 * }).start(7070);
 * }</pre>
 */
public final class Doorman implements AutoCloseable {
    /** How often each node checks for expired retired keys and a due rotation. */
    private static final Duration KEY_CHECK_PERIOD = Duration.ofMinutes(1);

    private final DoormanSettings settings;
    private final Database database;
    private final UserStore users;
    private final RoleStore roles;
    private final AuditStore auditStore;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final AccountService accounts;
    private final Mailer mailer;
    private final Optional<DevOutbox> devOutbox;
    private final SigningKeys signingKeys;
    private final KeyRotationSchedule keyRotation;
    private final ClientStore clientStore;
    private final ClientService clientService;
    private final ClientAuthenticator clientAuthenticator;
    private final CodeStore codes;
    private final ConsentStore consents;
    private final RouteTable routes;
    private final RevocationList revocationList;
    private final SecurityHeaders headers;
    private final StepUpGate stepUpGate;

    private Doorman(Builder b) {
        this.settings = b.settings;
        this.database = b.database;
        Clock clock = b.clock;
        var secrets = new Secrets(b.random);
        var jdbi = database.jdbi();

        users = new JdbiUserStore(jdbi);
        roles = new JdbiRoleStore(jdbi);
        auditStore = new JdbiAuditStore(jdbi);
        var audit = new AuditLog(auditStore, clock);

        // Before anything that starts threads (the mailer): a wrong key-encryption key stops the start here.
        var serverSecrets = new ServerSecrets(jdbi, clock);
        var keyEncryption = settings.oauth2().keyEncryptionKey()
                .map(kek -> KeyEncryption.configured(kek, secrets))
                .orElseGet(() -> KeyEncryption.development(serverSecrets, secrets));
        signingKeys = SigningKeys.open(new JdbiSigningKeyStore(jdbi), database, keyEncryption, settings.oauth2(), audit, clock, b.random);

        policy = new PasswordPolicy(settings.password());
        hasher = new PasswordHasher(settings.password().argon2(), secrets::newBytes, Runtime.getRuntime().availableProcessors());
        var tokens = new ActionTokens(new JdbiActionTokenStore(jdbi), secrets, clock);
        var issuer = new Issuer(settings.baseUrl());
        var refreshTokens = new JdbiRefreshTokenStore(jdbi, clock);
        revocationList = new JdbiRevocationList(jdbi, clock);
        var tokenRevoker = new TokenRevoker(refreshTokens, revocationList);
        var sessions = new SessionService(new JdbiSessionStore(jdbi), secrets, clock, settings.session(), audit, new SessionEndListener() {
            @Override
            public void sessionEnded(UserId user, SessionId session) {
                tokenRevoker.revoke(TokensOf.session(session));
            }

            @Override
            public void allSessionsEnded(UserId user) {
                tokenRevoker.revoke(TokensOf.user(user));
            }
        });

        devOutbox = b.mailSender == null && settings.mail().smtp().isEmpty() && !settings.production()
                ? Optional.of(new DevOutbox(clock, settings.baseUrl().resolve(DevOutboxEndpoint.PATH).toString()))
                : Optional.empty();
        MailSender sender = b.mailSender != null ? b.mailSender
                : devOutbox.<MailSender>map(o -> o)
                .orElseGet(() -> new SmtpMailSender(settings.mail().smtp().orElseThrow(
                        () -> new IllegalStateException("production mode needs an SMTP server")), settings.mail().from()));
        mailer = new Mailer(sender, b.mailBackoff, audit);
        var mails = new Mails(settings.baseUrl());

        var registration = new RegistrationService(users, policy, hasher, tokens, mailer, mails, audit, database, clock, settings.accounts());
        var verification = new VerificationService(users, tokens, mailer, mails, audit, database, clock, settings.accounts());
        var challengeStore = new JdbiLoginChallengeStore(jdbi);
        var mfaMails = new MfaMails(settings.baseUrl());
        var passkeyStore = new JdbiPasskeyStore(jdbi);
        var mfa = new MfaService(new JdbiTotpStore(jdbi), new JdbiRecoveryCodeStore(jdbi), challengeStore, challengeStore,
                user -> passkeyStore.listByUser(user).size(), roles, sessions, keyEncryption, secrets, audit, mailer, mfaMails, clock, settings.mfa());
        var passkeys = new PasskeyService(passkeyStore, new JdbiCeremonyStore(jdbi), users, mfa, secrets, audit, mailer, mfaMails, clock,
                settings.baseUrl(), settings.mfa());
        var mfaLogins = new MfaLoginService(challengeStore, mfa, passkeys, users, sessions, secrets, audit, mailer, mfaMails, clock, database);
        var stepUp = new StepUpService(mfa, passkeys, users, hasher, sessions, audit);
        stepUpGate = new StepUpGate(mfa);
        var login = new LoginService(users, hasher, sessions, audit, clock, settings.accounts(), database, mfa::secondStepRequired);
        var recovery = new RecoveryService(users, policy, hasher, tokens, sessions, mailer, mails, audit, database, clock, settings.accounts());
        accounts = new AccountService(users, policy, hasher, sessions, tokens, mailer, mails, audit, database, clock);

        clientStore = new JdbiClientStore(jdbi);
        clientService = new ClientService(clientStore, secrets, audit, clock);
        clientAuthenticator = new DefaultClientAuthenticator(clientStore, new JdbiAssertionJtiStore(jdbi),
                new Issuer(settings.baseUrl()), audit, clock);

        codes = new JdbiCodeStore(jdbi, clock);
        var tokenIssuer = new TokenIssuer(signingKeys, issuer, clock, secrets::newToken);
        var tokenFactory = new TokenFactory(tokenIssuer, new JdbiAccessTokenLedger(jdbi), refreshTokens, roles, settings.oauth2(), secrets, clock);
        Predicate<String> revokedJti = jti -> revocationList.isRevoked(new JWTID(jti));
        var forUserInfo = new AccessTokenVerifier(signingKeys::publicKeys, issuer, Set.of(issuer.getValue()),
                TokenFactory.MAX_ACCESS_TOKEN_TTL, clock, revokedJti);
        var anyAudience = new AccessTokenVerifier(signingKeys::publicKeys, issuer, Set.of(), TokenFactory.MAX_ACCESS_TOKEN_TTL, clock, revokedJti);
        var tokenEndpoint = new TokenEndpoint(clientAuthenticator, Map.of(
                GrantType.AUTHORIZATION_CODE, new AuthorizationCodeGrantHandler(codes, users, tokenFactory, tokenRevoker, audit, clock, database),
                GrantType.REFRESH_TOKEN, new RefreshTokenGrantHandler(refreshTokens, users, sessions, tokenFactory, tokenRevoker, secrets, audit,
                        database),
                GrantType.CLIENT_CREDENTIALS, new ClientCredentialsGrantHandler(tokenFactory)),
                settings.baseUrl().resolve(OAuth2Paths.TOKEN));
        var backChannel = new BackChannelEndpoints(tokenEndpoint,
                new UserInfoEndpoint(new UserInfoService(forUserInfo, users), settings.baseUrl().resolve(OAuth2Paths.USERINFO)),
                new RevocationEndpoint(clientAuthenticator, new RevocationService(refreshTokens, revocationList, tokenRevoker, anyAudience, audit),
                        settings.baseUrl().resolve(OAuth2Paths.REVOKE)),
                new IntrospectionEndpoint(clientAuthenticator, new IntrospectionService(anyAudience, refreshTokens, issuer, clock),
                        settings.baseUrl().resolve(OAuth2Paths.INTROSPECT)),
                new RevokedTokensEndpoint(revocationList));
        consents = new JdbiConsentStore(jdbi, clock);
        var authorize = new AuthorizeService(clientStore, codes, consents, new JdbiPushedRequestStore(jdbi, clock), secrets, clock,
                issuer, settings.oauth2().codeTtl(),
                user -> mfa.factors(user).any());

        var cookies = new Cookies(settings.session());
        var authn = new Authn(sessions, cookies);
        String csrfKey = serverSecrets.getOrCreate("csrf-hmac", () -> HexFormat.of().formatHex(secrets.newBytes(32)));
        var csrf = new Csrf(csrfKey, settings.origin(), settings.session(), cookies, secrets, audit);
        var views = new Views();
        var layout = new Layout(csrf, devOutbox.isPresent());
        headers = new SecurityHeaders(settings.production());
        Function<String, List<URI>> formTargets = returnTo -> AuthorizeEndpoint.clientRedirects(returnTo, clientStore);
        var passkeyEndpoint = new PasskeyEndpoint(passkeys, mfa, mfaLogins, stepUp, users, authn, csrf, cookies,
                MfaEndpoint.challengeCookieName(settings.session()));
        var mfaEndpoint = new MfaEndpoint(mfa, mfaLogins, stepUp, users, authn, csrf, cookies, settings.session(), views, layout, formTargets,
                passkeyEndpoint::rows, true);
        var consentPage = new ConsentEndpoint(consents, new ConsentWithdrawal(consents, refreshTokens, revocationList, database, audit), clientStore);
        routes = new RouteTable(
                headers, authn, csrf, new WebErrors(views, layout::nav),
                new HealthEndpoint(database::healthy), new AssetEndpoint(),
                new RegistrationEndpoint(registration, policy, views, layout),
                new VerificationEndpoint(verification, views, layout),
                new LoginEndpoint(login, sessions, authn, csrf, views, layout, formTargets, mfaEndpoint),
                new RecoveryEndpoint(recovery, policy, views, layout),
                new AccountEndpoint(accounts, sessions, authn, policy, views, layout, consentPage::rows),
                new JwksEndpoint(signingKeys),
                backChannel,
                devOutbox.map(o -> new DevOutboxEndpoint(o, views, layout)),
                new AuthorizeEndpoint(authorize, views, layout),
                new ParEndpoint(clientAuthenticator, authorize, settings.baseUrl().resolve(OAuth2Paths.PAR)),
                new DiscoveryEndpoint(ProviderMetadata.of(settings.baseUrl(), settings.oauth2().signingAlgorithm())),
                new EndSessionEndpoint(new EndSessionService(clientStore, signingKeys, issuer), sessions, authn, views, layout),
                consentPage,
                mfaEndpoint, passkeyEndpoint);
        // Last: a failure above must not leave a thread running.
        keyRotation = KeyRotationSchedule.start(signingKeys, KEY_CHECK_PERIOD);
    }

    public static Builder builder(DoormanSettings settings, Database database) {
        return new Builder(settings, database);
    }

    /** Installs Doorman's routes, before-handlers and error mapping into an app's configuration. */
    public void install(JavalinConfig config) {
        config.http.maxRequestSize = settings.maxRequestBytes();
        config.http.defaultContentType = "text/plain; charset=utf-8";
        config.http.prefer405over404 = true;
        routes.install(config);
    }

    /** A standalone server: virtual threads, Doorman's routes, a graceful stop. Call {@code start(host, port)} on it. */
    public Javalin createServer() {
        return Javalin.create(this::configureServer);
    }

    /**
     * What {@link #createServer()} configures: virtual threads, a graceful stop that lets requests in flight finish
     * (up to 10 s) while refusing new ones, and {@link #install}.
     */
    public void configureServer(JavalinConfig config) {
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        config.jetty.modifyServer(server -> {
            // Javalin's StatisticsHandler makes stop() graceful; the timeout bounds how long it waits.
            server.setStopTimeout(Duration.ofSeconds(10).toMillis());
            // Jetty answers some bad requests itself (431, malformed lines) before any route: same headers there.
            server.setErrorHandler(new ErrorHandler() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) throws Exception {
                    headers.applyTo(response.getHeaders()::put);
                    return super.handle(request, response, callback);
                }
            });
        });
        install(config);
    }

    /** Who is calling, for the embedding app's own handlers (after Doorman's before-handlers ran). */
    public Optional<CurrentUser> currentUser(Context ctx) {
        Optional<Session> session = Authn.session(ctx);
        return session.flatMap(s -> users.find(s.user()).filter(u -> !u.disabled())
                .map(u -> new CurrentUser(u.id(), u.email(), u.name(), u.emailVerified(), roles.rolesOf(u.id()), s.id(), s.authTime())));
    }

    /**
     * Step-up for the app's own sensitive actions: true when the caller passed a second factor within {@code within};
     * otherwise the browser is sent through the challenge and back (or an API caller gets 401
     * {@code mfa.step_up_required}), and the handler should return.
     */
    public boolean requireSecondFactor(Context ctx, Duration within) {
        return stepUpGate.require(ctx, within);
    }

    /** {@link #requireSecondFactor} as a before-handler: {@code config.routes.beforeMatched("/payments/*", doorman.secondFactorWithin(ofMinutes(5)))} (after Doorman's own before-handlers resolved the session). */
    public io.javalin.http.Handler secondFactorWithin(Duration within) {
        return stepUpGate.within(within);
    }

    public DoormanSettings settings() {
        return settings;
    }

    public Database database() {
        return database;
    }

    public UserStore users() {
        return users;
    }

    public RoleStore roles() {
        return roles;
    }

    public AuditStore auditTrail() {
        return auditStore;
    }

    public PasswordHasher passwordHasher() {
        return hasher;
    }

    public PasswordPolicy passwordPolicy() {
        return policy;
    }

    public AccountService accounts() {
        return accounts;
    }

    /** The registered OAuth clients, as the OAuth endpoints look them up. */
    public ClientRegistry clients() {
        return clientStore;
    }

    /** The clients with their credentials (secret hashes, JWK sets), for provisioning. */
    public ClientStore clientStore() {
        return clientStore;
    }

    /** Register, rotate the secret of, delete and list OAuth clients. */
    public ClientService clientService() {
        return clientService;
    }

    /** Client authentication for the token, revocation, introspection and PAR endpoints. */
    public ClientAuthenticator clientAuthenticator() {
        return clientAuthenticator;
    }

    /** Authorization codes: the authorize endpoint saves them, the token endpoint consumes them. */
    public CodeStore codes() {
        return codes;
    }

    /** What each user has allowed each client. */
    public ConsentStore consents() {
        return consents;
    }

    /** Access tokens revoked before their expiry. */
    public RevocationList revocationList() {
        return revocationList;
    }

    public Optional<DevOutbox> devOutbox() {
        return devOutbox;
    }

    /** Signs tokens with the active key and publishes the JWKS: what the token issuer needs. */
    public TokenSigner tokenSigner() {
        return signingKeys;
    }

    /** The signing keys themselves, for rotation and listing ({@code doorman keys}). */
    public SigningKeys signingKeys() {
        return signingKeys;
    }

    /** Stops the key rotation check and lets queued mail go out; the database belongs to whoever opened it. */
    @Override
    public void close() {
        try {
            keyRotation.close();
        } finally {
            mailer.close();
        }
    }

    public static final class Builder {
        private final DoormanSettings settings;
        private final Database database;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random = new SecureRandom();
        private MailSender mailSender;
        private List<Duration> mailBackoff = Mailer.defaultBackoff();

        private Builder(DoormanSettings settings, Database database) {
            this.settings = Objects.requireNonNull(settings);
            this.database = Objects.requireNonNull(database);
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        /** Overrides the sender chosen from the settings (SMTP, or the dev outbox). */
        public Builder mailSender(MailSender sender) {
            this.mailSender = Objects.requireNonNull(sender);
            return this;
        }

        public Builder mailBackoff(List<Duration> backoff) {
            this.mailBackoff = List.copyOf(backoff);
            return this;
        }

        /** Refuses an insecure production configuration, naming what to fix. The database must be migrated. */
        public Doorman build() {
            List<String> problems = settings.insecureForProduction();
            if (!problems.isEmpty())
                throw new IllegalStateException("refusing to start in production mode:\n  - " + String.join("\n  - ", problems));
            return new Doorman(this);
        }
    }
}
