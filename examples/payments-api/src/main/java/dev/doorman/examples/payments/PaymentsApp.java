package dev.doorman.examples.payments;

import dev.doorman.Doorman;
import dev.doorman.DoormanSettings;
import dev.doorman.authz.Policy;
import dev.doorman.authz.PolicyException;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.session.SessionSettings;
import io.javalin.Javalin;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * The mini challenge, "POST /payments from a cookie-based web app": Doorman embedded for login and sessions (cookie
 * SameSite=Strict, HttpOnly, Secure), its session-bound synchronizer CSRF token, a strict Origin / Fetch-Metadata
 * rule on payments, an owner rule and a limit rule in the policy file, Idempotency-Key, and an audit trail.
 */
public final class PaymentsApp implements AutoCloseable {
    public static final String BUNDLED_POLICY = "/dev/doorman/examples/payments/policy.yaml";

    private final Javalin server;
    private final Doorman doorman;
    private final Database identity;
    private final Database paymentsDb;
    private final PaymentStore store;

    private PaymentsApp(Javalin server, Doorman doorman, Database identity, Database paymentsDb, PaymentStore store) {
        this.server = server;
        this.doorman = doorman;
        this.identity = identity;
        this.paymentsDb = paymentsDb;
        this.store = store;
    }

    public static PaymentsApp start(PaymentsSettings settings) {
        return start(settings, StepUpEvidence::sessionOnly);
    }

    /** @param stepUp the step-up extension point (see {@link StepUpEvidence}); today {@code StepUpEvidence::sessionOnly} */
    public static PaymentsApp start(PaymentsSettings settings, Function<Doorman, StepUpEvidence> stepUp) {
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + settings.dataDir().toAbsolutePath(), e);
        }
        var identity = Database.open(DbSettings.embedded(settings.dataDir()));
        identity.migrate();
        var paymentsDb = Database.open(DbSettings.jdbc("jdbc:sqlite:" + settings.dataDir().resolve("payments.db"), null, null));
        Flyway.configure().dataSource(paymentsDb.dataSource()).locations("classpath:db/payments").load().migrate();

        var doorman = Doorman.builder(doormanSettings(settings), identity).policy(policy(settings)).build();
        var store = new JdbiPaymentStore(paymentsDb.jdbi(), Clock.systemUTC());
        var service = new PaymentsService(store, doorman.access().authorizer(), settings.limit(), Clock.systemUTC());
        StepUpEvidence callers = stepUp.apply(doorman);
        var api = new PaymentsApi(service, callers, store, doorman.settings().origin());
        var page = new PaymentsPage(service, callers, store, doorman.settings().origin(), doorman::csrfToken);
        Javalin server;
        try {
            server = Javalin.create(config -> {
                doorman.configureServer(config);      // login pages and API, sessions, CSRF, security headers, errors
                config.routes.post(PaymentsApi.PAYMENTS, api::pay);
                config.routes.get(PaymentsApi.PAYMENTS, api::listPayments);
                config.routes.post(PaymentsApi.ACCOUNTS, api::openAccount);
                config.routes.get(PaymentsApi.ACCOUNTS, api::listAccounts);
                config.routes.get(PaymentsPage.PAGE, page::page);
                config.routes.post(PaymentsPage.PAGE, page::pay);
                config.routes.post(PaymentsPage.OPEN_ACCOUNT, page::openAccount);
            });
            server.start("127.0.0.1", settings.port());
        } catch (RuntimeException e) {
            doorman.close();
            identity.close();
            paymentsDb.close();
            throw e;
        }
        return new PaymentsApp(server, doorman, identity, paymentsDb, store);
    }

    /**
     * Doorman's dev defaults with a session cookie for money: SameSite=Strict (no cross-site request carries it, not
     * even a top-level link), HttpOnly and Secure as always, 15 minutes idle and 8 hours at most.
     * Production mode adds the {@code __Host-} prefix and requires https.
     */
    static DoormanSettings doormanSettings(PaymentsSettings settings) {
        var dev = DoormanSettings.dev(settings.baseUrl());
        var session = new SessionSettings(Duration.ofMinutes(15), Duration.ofHours(8), SessionSettings.SameSite.STRICT,
                dev.session().secureCookie(), dev.session().hostPrefix());
        return new DoormanSettings(dev.mode(), dev.baseUrl(), session, dev.password(), dev.accounts(), dev.mail(),
                dev.maxRequestBytes(), dev.oauth2());
    }

    static Policy policy(PaymentsSettings settings) {
        try {
            if (settings.policyFile().isPresent()) return Policy.load(settings.policyFile().get());
            try (InputStream in = PaymentsApp.class.getResourceAsStream(BUNDLED_POLICY)) {
                return Policy.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "payments-api " + BUNDLED_POLICY);
            }
        } catch (PolicyException e) {
            throw new IllegalStateException("the policy file is invalid: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the policy file", e);
        }
    }

    public int port() {
        return server.port();
    }

    public Doorman doorman() {
        return doorman;
    }

    public PaymentStore store() {
        return store;
    }

    @Override
    public void close() {
        server.stop();
        doorman.close();
        identity.close();
        paymentsDb.close();
    }

    public static void main(String[] args) {
        var settings = PaymentsSettings.fromEnv(System.getenv());
        var app = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close));
        System.out.println("payments-api on " + settings.baseUrl() + "/payments (register at /register; mail goes to /dev/outbox; API under /api/); "
                + "limit " + settings.limit() + "; data in " + settings.dataDir().toAbsolutePath());
    }
}
