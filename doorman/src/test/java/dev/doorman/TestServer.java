package dev.doorman;

import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.User;
import dev.doorman.authz.Policy;
import dev.doorman.account.UserId;
import dev.doorman.audit.AuditLog;
import dev.doorman.provisioning.CreateUserOutcome;
import dev.doorman.provisioning.NewUser;
import dev.doorman.provisioning.ProvisioningService;
import dev.doorman.client.ClientRegistration;
import dev.doorman.client.CreateClientOutcome;
import dev.doorman.db.Database;
import dev.doorman.session.SessionId;
import dev.doorman.support.ClientInfo;
import dev.doorman.db.DbSettings;
import dev.doorman.mail.MailSettings;
import dev.doorman.testkit.MutableClock;
import dev.doorman.testkit.TestHttp;
import dev.doorman.testkit.TestMail;
import dev.doorman.testkit.TestPostgres;
import io.javalin.Javalin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Doorman server on a random loopback port, on SQLite or PostgreSQL, sending real SMTP to GreenMail,
 * with a clock the test can move. Built exactly as production builds it: {@link Doorman#createServer()}.
 */
public final class TestServer implements AutoCloseable {
    public enum Store { SQLITE, POSTGRES }

    public static final String PASSWORD = "correct horse battery staple";

    /**
     * Every test client shares 127.0.0.1 and a clock that stands still, so the default limits (which refill with time)
     * would trip across unrelated tests: the fixture lifts them. Tests of the limits themselves start from
     * {@link dev.doorman.guard.GuardSettings#defaults()} or set the limit they exercise.
     */
    public static final dev.doorman.guard.GuardSettings RELAXED_GUARD = relaxed();

    private static dev.doorman.guard.GuardSettings relaxed() {
        var g = dev.doorman.guard.GuardSettings.defaults()
                .withEscalation(new dev.doorman.guard.GuardSettings.Escalation(100_000, Duration.ZERO, Duration.ZERO, 100_000, 16, 20,
                        Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(90)))
                // Tests fire requests at once to test races, not load: none is shed here (LoadSheddingTest tests shedding).
                .withHashQueue(64);
        for (var limit : dev.doorman.guard.Limit.values()) {
            if (limit != dev.doorman.guard.Limit.CHALLENGE_SPENT) g = g.withLimit(limit, dev.doorman.guard.LimitSpec.parse("1000000/1m"));
        }
        return g;
    }

    public final String baseUrl;
    public final MutableClock clock;
    public final TestMail mail;
    public final Database database;
    public final Doorman doorman;
    private final Javalin app;
    private final Path dataDir;

    /** Where this node's database is: a second node started with {@link #startNode} shares it. */
    public final DbSettings dbSettings;

    private TestServer(Store store, UnaryOperator<DoormanSettings> customize, boolean devOutbox) {
        this(store, customize, devOutbox, null, b -> { });
    }

    private TestServer(Store store, UnaryOperator<DoormanSettings> customize, boolean devOutbox, DbSettings shared,
                       java.util.function.Consumer<Doorman.Builder> tweak) {
        int port = freePort();
        // Browsers keep Secure cookies from plain http only for "localhost"; the dev-outbox server is the browser's.
        this.baseUrl = (devOutbox ? "http://localhost:" : "http://127.0.0.1:") + port;
        this.clock = MutableClock.at(Instant.parse("2026-11-28T10:00:00Z"));
        this.mail = TestMail.start();
        try {
            this.dataDir = Files.createTempDirectory("doorman-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.dbSettings = shared != null ? shared : switch (store) {
            case SQLITE -> DbSettings.embedded(dataDir);
            case POSTGRES -> {
                var pg = TestPostgres.newDatabase();
                yield DbSettings.jdbc(pg.jdbcUrl(), pg.user(), pg.password());
            }
        };
        this.database = Database.open(dbSettings);
        database.migrate();
        var smtp = new MailSettings.Smtp(mail.host(), mail.smtpPort(), Optional.empty(), Optional.empty(), MailSettings.Tls.NONE);
        DoormanSettings base = DoormanSettings.dev(URI.create(baseUrl)).withGuard(RELAXED_GUARD);
        DoormanSettings settings = customize.apply(devOutbox ? base : new DoormanSettings(base.mode(), base.baseUrl(), base.session(),
                base.password(), base.accounts(), new MailSettings(Optional.of(smtp), "Doorman <no-reply@doorman.test>"), base.maxRequestBytes(),
                base.oauth2(), base.guard()));
        var builder = Doorman.builder(settings, database).clock(clock)
                .mailBackoff(List.of(Duration.ofMillis(50), Duration.ofMillis(100)));
        tweak.accept(builder);
        this.doorman = builder.build();
        this.app = doorman.createServer().start("127.0.0.1", port);
    }

    public static TestServer start(Store store) {
        return new TestServer(store, UnaryOperator.identity(), false);
    }

    /** With an authorization policy (roles and rules for the decision point and the role-binding API). */
    public static TestServer start(Store store, Policy policy) {
        return new TestServer(store, UnaryOperator.identity(), false, null, b -> b.policy(policy));
    }

    public static TestServer start(Store store, UnaryOperator<DoormanSettings> customize) {
        return new TestServer(store, customize, false);
    }

    /** With a change to how Doorman is built (e.g. a sleeper that records the login delays). */
    public static TestServer start(Store store, UnaryOperator<DoormanSettings> customize, java.util.function.Consumer<Doorman.Builder> tweak) {
        return new TestServer(store, customize, false, null, tweak);
    }

    /** Another node on the same database as {@code first} (its own port, clock, mail server). */
    public static TestServer startNode(TestServer first, UnaryOperator<DoormanSettings> customize) {
        return new TestServer(Store.POSTGRES, customize, false, first.dbSettings, b -> { });
    }

    /** Dev defaults exactly as {@code serve} runs them: no SMTP, mail goes to the dev outbox page. */
    public static TestServer startWithDevOutbox(Store store) {
        return new TestServer(store, UnaryOperator.identity(), true);
    }

    /** The same with changed settings (the browser's server: on "localhost", mail in the dev outbox). */
    public static TestServer startWithDevOutbox(Store store, UnaryOperator<DoormanSettings> customize) {
        return new TestServer(store, customize, true);
    }

    /** A fresh client with an empty cookie jar. */
    public TestHttp client() {
        return new TestHttp(baseUrl);
    }

    /** A fresh client whose requests come from {@code ip}, as a proxy says in X-Forwarded-For (believed when 127.0.0.1 is a trusted proxy). */
    public TestHttp clientFrom(String ip) {
        var http = client();
        http.setHeader("X-Forwarded-For", ip);
        return http;
    }

    /** The JSON body of a password login ({@code POST /api/v1/session}). */
    public static String loginJson(String email, String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }

    /** Registers through the JSON API and follows the mailed verification link's token. */
    public void registerVerified(String email, String password) {
        var http = client();
        var registered = http.postJson("/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(202);
        String token = tokenFromMail(email, "/verify-email");
        var verified = http.postJson("/api/v1/accounts/verify", "{\"token\":\"" + token + "\"}");
        assertThat(verified.status()).as(verified.body()).isEqualTo(204);
    }

    /** An account created as the operator's {@code user create} does (verified, {@link #PASSWORD}), without any mail. */
    public User createVerifiedUser(String email, String name) {
        var provisioning = new ProvisioningService(doorman.users(), doorman.roles(), doorman.passwordHasher(),
                doorman.passwordPolicy(), doorman.accounts(), doorman.clientStore(), database,
                new AuditLog(doorman.auditTrail(), clock), clock);
        var outcome = provisioning.createUser(new NewUser(Email.parse(email).orElseThrow(),
                Optional.of(name), new Password(PASSWORD), true, Set.of()), new ClientInfo("127.0.0.1", "TestServer"));
        assertThat(outcome).as("user creation: %s", outcome).isInstanceOf(CreateUserOutcome.Created.class);
        return ((CreateUserOutcome.Created) outcome).user();
    }

    /** A client logged in through the JSON API, with its CSRF token set as a default header. */
    public TestHttp apiLogin(String email, String password) {
        var http = client();
        var response = http.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        http.setHeader("X-CSRF-Token", response.json().get("csrfToken").asText());
        return http;
    }

    /** The token of the newest mailed link to {@code pathPrefix} for this address (waits for it to arrive). */
    public String tokenFromMail(String email, String pathPrefix) {
        var deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var links = mail.all().stream()
                    .filter(m -> m.to().equalsIgnoreCase(email))
                    .map(m -> TestMail.firstLink(m.text(), pathPrefix))
                    .flatMap(Optional::stream)
                    .toList();
            if (!links.isEmpty()) return TestMail.tokenFrom(links.getLast());
            sleep(20);
        }
        throw new AssertionError("no mail with a " + pathPrefix + " link reached " + email + "; got " + mail.all());
    }

    /** Registers an OAuth client through Doorman's own ClientService, as the operator's CLI does. */
    public CreateClientOutcome.Created createClient(ClientRegistration registration) {
        var outcome = doorman.clientService().create(registration, new ClientInfo("127.0.0.1", "TestServer"));
        assertThat(outcome).as("client registration: %s", outcome).isInstanceOf(CreateClientOutcome.Created.class);
        return (CreateClientOutcome.Created) outcome;
    }

    /** A registered, verified user logged in through the JSON API: its id, its session's id and its HTTP client. */
    public record LoggedIn(UserId user, SessionId session, TestHttp http) { }

    public LoggedIn registerAndLogIn(String email) {
        registerVerified(email, PASSWORD);
        TestHttp http = apiLogin(email, PASSWORD);
        var me = http.get("/api/v1/me");
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        var sessions = http.get("/api/v1/me/sessions");
        assertThat(sessions.status()).as(sessions.body()).isEqualTo(200);
        String session = null;
        for (var s : sessions.json()) {
            if (s.get("current").asBoolean()) session = s.get("id").asText();
        }
        return new LoggedIn(UserId.parse(me.json().get("id").asText()), SessionId.tryParse(session).orElseThrow(), http);
    }

    /** Every HTTP route the server answers, as "METHOD /path" (Javalin's own table, so none can be missed). */
    public List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
                .filter(r -> r.matches("(GET|POST|PUT|PATCH|DELETE) .*"))
                .distinct().sorted().toList();
    }

    public String sessionCookieName() {
        return doorman.settings().session().sessionCookieName();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
        doorman.close();
        database.close();
        mail.close();
    }
}
