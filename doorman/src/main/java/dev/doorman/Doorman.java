package dev.doorman;

import dev.doorman.access.AccessService;
import dev.doorman.access.AuthZenEndpoint;
import dev.doorman.access.DecisionPointCaller;
import dev.doorman.access.DoormanBindings;
import dev.doorman.access.JdbiRoleBindingStore;
import dev.doorman.access.RoleBindingsEndpoint;
import dev.doorman.authz.Policy;
import dev.doorman.client.StoredClient;
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
import dev.doorman.account.ForcedPasswordChange;
import dev.doorman.account.PasswordChangeGate;
import dev.doorman.account.PasswordChangeRequirements;
import dev.doorman.account.User;
import dev.doorman.audit.AuditEndpoint;
import dev.doorman.audit.AuditLog;
import dev.doorman.authz.Subject;
import dev.doorman.audit.AuditService;
import dev.doorman.audit.SecurityDashboard;
import dev.doorman.audit.SecurityDashboardEndpoint;
import dev.doorman.metrics.DoormanMetrics;
import dev.doorman.metrics.MetricsEndpoint;
import dev.doorman.metrics.MetricsSettings;
import dev.doorman.oauth2.token.MeteredGrantHandler;
import dev.doorman.web.AdminAccess;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import org.slf4j.LoggerFactory;
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
import dev.doorman.guard.AttackNotices;
import dev.doorman.guard.BucketStores;
import dev.doorman.guard.ClientAdmission;
import dev.doorman.guard.Buckets;
import dev.doorman.guard.GuardEndpoint;
import dev.doorman.guard.Limit;
import dev.doorman.guard.LoginGuard;
import dev.doorman.guard.ProofOfWork;
import dev.doorman.guard.RateLimits;
import dev.doorman.guard.Sleeper;
import dev.doorman.guard.TrustedProxies;
import dev.doorman.guard.DevicePasses;
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
import dev.doorman.mfa.MfaPaths;
import dev.doorman.mfa.PasskeyEndpoint;
import dev.doorman.mfa.PasskeyService;
import dev.doorman.mfa.JdbiRecoveryCodeStore;
import dev.doorman.mfa.JdbiTotpStore;
import dev.doorman.mfa.MfaEndpoint;
import dev.doorman.mfa.MfaLoginService;
import dev.doorman.mfa.MfaMails;
import dev.doorman.mfa.MfaPurge;
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
import dev.doorman.oauth2.OAuth2Purge;
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
import dev.doorman.support.PurgeSchedule;
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
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    /** How often each node applies the audit retention. */
    private static final Duration AUDIT_RETENTION_PERIOD = Duration.ofHours(1);
    /** How often each node deletes expired MFA and OAuth2 state (challenges, pending secrets, codes, dead refresh families…). */
    private static final Duration PURGE_PERIOD = Duration.ofMinutes(10);
    private static final int ACCEPT_QUEUE = 1024;

    private final DoormanSettings settings;
    private final Database database;
    private final UserStore users;
    private final RoleStore roles;
    private final JdbiAuditStore auditStore;
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
    private final AccessService access;
    private final Buckets buckets;
    private final Optional<PurgeSchedule> bucketPurge;
    private final RateLimits rateLimits;
    private final GuardEndpoint guard;
    private final DoormanMetrics metrics;
    private final MetricsEndpoint metricsEndpoint;
    private final AuditService auditService;
    private final Optional<PurgeSchedule> auditRetention;
    private final PurgeSchedule mfaPurge;
    private final PurgeSchedule oauth2Purge;
    private final StepUpGate stepUpGate;

    private Doorman(Builder b) {
        this.settings = b.settings;
        this.database = b.database;
        Clock clock = b.clock;
        var secrets = new Secrets(b.random);
        var jdbi = database.jdbi();

        users = new JdbiUserStore(jdbi);
        roles = new JdbiRoleStore(jdbi);
        metrics = b.metrics != null ? b.metrics : DoormanMetrics.create();
        bindPoolMetrics(database, metrics);
        var auditTrail = new JdbiAuditStore(jdbi);
        auditTrail.chainUnchained();
        auditStore = auditTrail;
        var passwordChanges = new PasswordChangeRequirements(jdbi);
        // Every audit event is counted, and a password change lifts a forced change: neither needs wiring in the flows.
        var audit = new AuditLog(auditStore, clock, event -> {
            metrics.onAudit(event);
            passwordChanges.onAudit(event);
        });
        auditService = new AuditService(auditTrail, audit, clock);

        // Before anything that starts threads (the mailer): a wrong key-encryption key stops the start here.
        var serverSecrets = new ServerSecrets(jdbi, clock);
        var keyEncryption = settings.oauth2().keyEncryptionKey()
                .map(kek -> KeyEncryption.configured(kek, secrets))
                .orElseGet(() -> KeyEncryption.development(serverSecrets, secrets));
        signingKeys = SigningKeys.open(new JdbiSigningKeyStore(jdbi), database, keyEncryption, settings.oauth2(), audit, clock, b.random);

        policy = new PasswordPolicy(settings.password());
        hasher = new PasswordHasher(settings.password().argon2(), secrets::newBytes, Runtime.getRuntime().availableProcessors(),
                settings.guard().hashQueue(), metrics.hashTiming());
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
        buckets = BucketStores.open(settings.guard(), database, clock);
        rateLimits = new RateLimits(buckets, settings.guard());
        byte[] guardKey = HexFormat.of().parseHex(serverSecrets.getOrCreate("guard-hmac", () -> HexFormat.of().formatHex(secrets.newBytes(32))));
        var escalation = settings.guard().escalation();
        var devicePasses = new DevicePasses(guardKey, clock, escalation.deviceTtl(), escalation.unlockTtl(), secrets::newBytes);
        var loginGuard = new LoginGuard(rateLimits, new ProofOfWork(guardKey, rateLimits, clock, secrets, escalation.challengeTtl()),
                new AttackNotices(rateLimits, tokens, mailer, mails, audit, escalation.unlockTtl()), audit, escalation, b.sleeper);
        var forcedPasswordChange = new ForcedPasswordChange(passwordChanges, policy, audit, clock);
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
        var login = new LoginService(users, hasher, sessions, audit, clock, settings.accounts(), database, loginGuard, forcedPasswordChange,
                mfa::secondStepRequired);
        var recovery = new RecoveryService(users, policy, hasher, tokens, sessions, mailer, mails, audit, database, clock, settings.accounts());
        accounts = new AccountService(users, policy, hasher, sessions, tokens, mailer, mails, audit, database, clock);

        clientStore = new JdbiClientStore(jdbi);
        consents = new JdbiConsentStore(jdbi, clock);
        clientService = new ClientService(clientStore, secrets, audit, clock, database, client -> {
            tokenRevoker.revoke(TokensOf.client(client));
            consents.removeAll(client);
        });
        clientAuthenticator = new DefaultClientAuthenticator(clientStore, new JdbiAssertionJtiStore(jdbi),
                new Issuer(settings.baseUrl()), audit, clock);

        codes = new JdbiCodeStore(jdbi, clock);
        var tokenIssuer = new TokenIssuer(signingKeys, issuer, clock, secrets::newToken);
        var tokenFactory = new TokenFactory(tokenIssuer, new JdbiAccessTokenLedger(jdbi), refreshTokens, roles, settings.oauth2(), secrets, clock);
        Predicate<String> revokedJti = jti -> revocationList.isRevoked(new JWTID(jti));
        var forUserInfo = new AccessTokenVerifier(signingKeys::publicKeys, issuer, Set.of(issuer.getValue()),
                TokenFactory.MAX_ACCESS_TOKEN_TTL, clock, revokedJti);
        var anyAudience = new AccessTokenVerifier(signingKeys::publicKeys, issuer, Set.of(), TokenFactory.MAX_ACCESS_TOKEN_TTL, clock, revokedJti);
        var tokenEndpoint = new TokenEndpoint(clientAuthenticator, MeteredGrantHandler.meterAll(Map.of(
                GrantType.AUTHORIZATION_CODE, new AuthorizationCodeGrantHandler(codes, users, tokenFactory, tokenRevoker, audit, clock, database),
                GrantType.REFRESH_TOKEN, new RefreshTokenGrantHandler(refreshTokens, users, tokenFactory, tokenRevoker, secrets, audit,
                        database),
                GrantType.CLIENT_CREDENTIALS, new ClientCredentialsGrantHandler(tokenFactory)), metrics::tokenResponse),
                settings.baseUrl().resolve(OAuth2Paths.TOKEN), ClientAdmission.limitedBy(rateLimits, Limit.TOKEN_CLIENT, audit));
        var backChannel = new BackChannelEndpoints(tokenEndpoint,
                new UserInfoEndpoint(new UserInfoService(forUserInfo, users), settings.baseUrl().resolve(OAuth2Paths.USERINFO)),
                new RevocationEndpoint(clientAuthenticator, new RevocationService(refreshTokens, revocationList, tokenRevoker, anyAudience, audit),
                        settings.baseUrl().resolve(OAuth2Paths.REVOKE)),
                new IntrospectionEndpoint(clientAuthenticator, new IntrospectionService(anyAudience, refreshTokens, issuer, clock),
                        settings.baseUrl().resolve(OAuth2Paths.INTROSPECT), ClientAdmission.limitedBy(rateLimits, Limit.INTROSPECT_CLIENT, audit)),
                new RevokedTokensEndpoint(revocationList));
        var authorize = new AuthorizeService(clientStore, codes, consents, new JdbiPushedRequestStore(jdbi, clock), secrets, clock,
                issuer, settings.oauth2().codeTtl(), audit, user -> mfa.factors(user).any());

        var cookies = new Cookies(settings.session());
        var authn = new Authn(sessions, cookies);
        String csrfKey = serverSecrets.getOrCreate("csrf-hmac", () -> HexFormat.of().formatHex(secrets.newBytes(32)));
        var csrf = new Csrf(csrfKey, settings.origin(), settings.session(), cookies, secrets, audit);
        var views = new Views();
        var layout = new Layout(csrf, devOutbox.isPresent());
        headers = new SecurityHeaders(settings.production());
        guard = new GuardEndpoint(rateLimits, TrustedProxies.of(settings.guard().trustedProxies()), audit, tokens, users, loginGuard,
                devicePasses, cookies, views, layout);
        var admins = new AdminAccess(roles, audit);
        metricsEndpoint = new MetricsEndpoint(metrics, settings.observability().metrics());
        Function<String, List<URI>> formTargets = returnTo -> AuthorizeEndpoint.clientRedirects(returnTo, clientStore);
        var passkeyEndpoint = new PasskeyEndpoint(passkeys, mfa, mfaLogins, stepUp, users, authn, csrf, cookies,
                MfaEndpoint.challengeCookieName(settings.session()));
        var mfaEndpoint = new MfaEndpoint(mfa, mfaLogins, stepUp, users, authn, csrf, cookies, settings.session(), views, layout, formTargets,
                passkeyEndpoint::rows, true);
        var consentPage = new ConsentEndpoint(consents, new ConsentWithdrawal(consents, refreshTokens, revocationList, database, audit), clientStore);
        var roleBindings = new JdbiRoleBindingStore(jdbi);
        access = new AccessService(b.policy, roleBindings, new DoormanBindings(roles, roleBindings, this::clientCreatedAt),
                id -> UserId.tryParse(id).flatMap(users::find).isPresent() || clientExists(id), audit, clock);
        var webErrors = new WebErrors(views, layout::nav);
        routes = new RouteTable(
                headers, authn, csrf, webErrors,
                new HealthEndpoint(database::healthy, rateLimits::describe), new AssetEndpoint(),
                new RegistrationEndpoint(registration, policy, views, layout),
                new VerificationEndpoint(verification, views, layout),
                new LoginEndpoint(login, sessions, authn, csrf, views, layout, formTargets, guard, mfaEndpoint),
                new RecoveryEndpoint(recovery, policy, views, layout),
                new AccountEndpoint(accounts, sessions, authn, policy, views, layout, consentPage::rows,
                        user -> auditService.activityRows(user, 15), forcedPasswordChange::isRequired),
                new JwksEndpoint(signingKeys),
                backChannel,
                devOutbox.map(o -> new DevOutboxEndpoint(o, views, layout)),
                new AuthorizeEndpoint(authorize, views, layout),
                new ParEndpoint(clientAuthenticator, authorize, settings.baseUrl().resolve(OAuth2Paths.PAR)),
                new DiscoveryEndpoint(ProviderMetadata.of(settings.baseUrl(), settings.oauth2().signingAlgorithm())),
                new EndSessionEndpoint(new EndSessionService(clientStore, signingKeys, issuer), sessions, authn, csrf, views, layout),
                consentPage,
                new AuthZenEndpoint(access, new DecisionPointCaller(forUserInfo), webErrors, audit),
                new RoleBindingsEndpoint(access, roles, audit, clock),
                new PasswordChangeGate(forcedPasswordChange),
                new AuditEndpoint(auditService, admins, email -> users.findByEmail(email).map(User::id)),
                metricsEndpoint.onPublicPort() ? Optional.of(metricsEndpoint) : Optional.empty(),
                new SecurityDashboardEndpoint(new SecurityDashboard(auditTrail, clock), admins, views, layout),
                mfaEndpoint, passkeyEndpoint);
        // Last: a failure above must not leave a thread running.
        bucketPurge = BucketStores.startPurging(buckets, Duration.ofMinutes(5));
        keyRotation = KeyRotationSchedule.start(signingKeys, KEY_CHECK_PERIOD);
        auditRetention = settings.observability().auditRetention()
                .map(retention -> PurgeSchedule.start("audit-retention", () -> auditService.applyRetention(retention), AUDIT_RETENTION_PERIOD));
        mfaPurge = PurgeSchedule.start("mfa-purge", new MfaPurge(jdbi, clock, settings.mfa())::purgeExpired, PURGE_PERIOD);
        // Codes are kept an access-token lifetime past expiry, so that a late replay still revokes what the code issued (OA-06).
        var grants = new OAuth2Purge(jdbi, clock, settings.oauth2().accessTokenTtl());
        oauth2Purge = PurgeSchedule.start("oauth2-purge", () -> grants.purgeExpired() + ", revocations and ledger rows: "
                + revocationList.purgeExpired(), PURGE_PERIOD);
    }

    /** Hikari reports its pool through Micrometer; a pool already reporting elsewhere (a second Doorman on it) keeps that. */
    private static void bindPoolMetrics(Database database, DoormanMetrics metrics) {
        if (!(database.dataSource() instanceof HikariDataSource hikari)) return;
        try {
            hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics.registry()));
        } catch (IllegalStateException e) {
            LoggerFactory.getLogger(Doorman.class).debug("the pool already reports its metrics: {}", e.getMessage());
        }
    }

    private boolean clientExists(String id) {
        return clientCreatedAt(id).isPresent();
    }

    private Optional<Instant> clientCreatedAt(String id) {
        try {
            return clientStore.findStored(new com.nimbusds.oauth2.sdk.id.ClientID(id)).map(StoredClient::createdAt);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Role bindings and authorization decisions (the policy given to the builder, over the database's bindings). */
    public AccessService access() {
        return access;
    }

    public static Builder builder(DoormanSettings settings, Database database) {
        return new Builder(settings, database);
    }

    /** Installs Doorman's routes, before-handlers and error mapping into an app's configuration. */
    public void install(JavalinConfig config) {
        config.http.maxRequestSize = settings.maxRequestBytes();
        config.http.defaultContentType = "text/plain; charset=utf-8";
        config.http.prefer405over404 = true;
        guard.installFirst(config);
        // Latency per route pattern, never per raw URL (that would be a series per id).
        config.requestLogger.http((ctx, millis) -> metrics.request(ctx.method().name(),
                Optional.ofNullable(ctx.endpoints().matchedHttpEndpoint()).map(e -> e.path).orElse("unmatched"), ctx.statusCode(), millis));
        routes.install(config);
        guard.install(config);
        // Second factors are limited like passwords (RL-05): per source on every endpoint that checks a code or a passkey.
        for (String path : List.of(MfaPaths.CHALLENGE, MfaPaths.API_CHALLENGE, MfaPaths.STEP_UP, MfaPaths.API_STEP_UP,
                PasskeyEndpoint.API_OPTIONS, PasskeyEndpoint.API_AUTHENTICATE))
            guard.postLimit(config, path, Limit.MFA_SOURCE, GuardEndpoint.bySource());
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
            // A login flood must be answered (429/503 at once), not dropped by the kernel's SYN backlog, which costs a
            // client a 1-3 s retransmit; Jetty's default accept queue is 50. Connectors exist once the server starts.
            server.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    for (var connector : server.getConnectors())
                        if (connector instanceof ServerConnector c) c.setAcceptQueueSize(ACCEPT_QUEUE);
                }
            });
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
     * The CSRF token for the embedding app's own forms ({@code csrf} field) and scripts ({@code X-CSRF-Token}
     * header): bound to the session, or to a pre-session cookie set now when there is none.
     */
    public String csrfToken(Context ctx) {
        return routes.csrf().tokenFor(ctx);
    }

    /**
     * The caller as the policy engine sees it (doorman-authz): the session's user with their roles, how the session
     * proved who they are ({@code amr}: pwd, otp, hwk, swk, mfa) and when they last did ({@code authTime}: the later of
     * the login and the last second-factor check, so a step-up moves it forward, as OIDC's auth_time does).
     */
    public Optional<Subject> subject(Context ctx) {
        Optional<Session> session = Authn.session(ctx);
        return session.flatMap(s -> currentUser(ctx).map(u -> {
            var attributes = new java.util.HashMap<String, Object>();
            attributes.put("email", u.email().value());
            attributes.put("email_verified", u.emailVerified());
            u.name().ifPresent(name -> attributes.put("name", name));
            Instant lastProof = s.secondFactorAt().filter(at -> at.isAfter(s.authTime())).orElse(s.authTime());
            return new Subject(u.id().toString(), Subject.Kind.USER, u.roles(), Set.of(), attributes, Optional.of(lastProof),
                    Set.copyOf(s.amr()));
        }));
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

    /** Query, verify and prune the hash-chained audit trail ({@code doorman audit}). */
    public AuditService audit() {
        return auditService;
    }

    /** Doorman's meters; an embedding app may add its own to the same registry. */
    public DoormanMetrics metrics() {
        return metrics;
    }

    /**
     * The management listener for {@code metrics.exposure: port}: only {@code /metrics}, for scrapers on a network the
     * public cannot reach. Empty for the other exposures. Call {@code start(host, port)} on it.
     */
    public Optional<Javalin> createManagementServer() {
        if (settings.observability().metrics().exposure() != MetricsSettings.Exposure.MANAGEMENT_PORT) return Optional.empty();
        return Optional.of(Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.routes.get(MetricsEndpoint.PATH, metricsEndpoint::serve);
        }));
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

    /**
     * Rate limits and brute-force defence: put a named limit in front of a route
     * ({@code config.routes.before(path, doorman.guard().limit(Limit.MFA_SOURCE, GuardEndpoint.bySource()))}).
     */
    public GuardEndpoint guard() {
        return guard;
    }

    /** The named limits themselves (for services that count on their own, e.g. per account after parsing). */
    public RateLimits rateLimits() {
        return rateLimits;
    }

    /** Stops the key rotation check and lets queued mail go out; the database belongs to whoever opened it. */
    @Override
    public void close() {
        try {
            keyRotation.close();
            auditRetention.ifPresent(PurgeSchedule::close);
            mfaPurge.close();
            oauth2Purge.close();
            auditStore.flush();
            metrics.close();
        } finally {
            try {
                mailer.close();
            } finally {
                try {
                    bucketPurge.ifPresent(PurgeSchedule::close);
                } finally {
                    buckets.close();
                }
            }
        }
    }


    public static final class Builder {
        private final DoormanSettings settings;
        private final Database database;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random = new SecureRandom();
        private MailSender mailSender;
        private DoormanMetrics metrics;
        private List<Duration> mailBackoff = Mailer.defaultBackoff();
        private Policy policy = Policy.empty();
        private Sleeper sleeper = Sleeper.real();

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

        /** The authorization policy (roles, rules); without one every access decision is a deny. */
        public Builder policy(Policy policy) {
            this.policy = Objects.requireNonNull(policy);
            return this;
        }

        /** How slowed-down login failures wait (tests record the delays instead of waiting them out). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        /** Meters into this registry instead of a new one (so that the pool's meters, bound when it opened, are there too). */
        public Builder metrics(DoormanMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics);
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
