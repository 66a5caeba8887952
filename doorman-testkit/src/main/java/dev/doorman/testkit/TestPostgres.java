package dev.doorman.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL for tests, shared by every test in the JVM, handing out one fresh, empty
 * database per caller.
 *
 * <p>Why: tests that touch SQL must run against the database we ship on, not an imitation, and
 * starting a server costs a second or two while creating a database costs milliseconds. So the
 * server is started once per JVM (the first time {@link #newDatabase()} is called) and each test
 * or test class isolates itself by asking for its own database, which it never has to clean up.
 *
 * <p>The server is zonky's embedded PostgreSQL (the binaries come from a Maven artifact, so
 * nothing has to be installed on the machine). It listens on {@code 127.0.0.1} on a random free
 * port, with trust authentication, and is stopped by a JVM shutdown hook.
 *
 * <p><b>Running as root</b> (as CI does): PostgreSQL's {@code initdb} and {@code postgres} refuse
 * to run as root. zonky detects this itself: when the current user is root and {@code unshare -U
 * id -u} works, it starts every PostgreSQL binary through {@code unshare -U}, i.e. in a new user
 * namespace where the process is not root (it appears as {@code nobody}), which PostgreSQL
 * accepts. This needs unprivileged user namespaces (util-linux {@code unshare}, and a kernel or
 * container that permits them). If they are unavailable, starting fails, and the error says so.
 *
 * <p>This class holds the only static mutable state of the test kit: the lazily started server
 * and the counter used to name databases, both guarded by the class lock.
 */
public final class TestPostgres {

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The one shared server of this JVM; {@code null} until first use. Guarded by the class lock. */
    private static TestPostgres shared;

    private final EmbeddedPostgres server;
    private final AtomicLong databaseCounter = new AtomicLong();

    private TestPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * Connection details of one database, owned by a role of the same name (not a superuser, so
     * code under test runs with the privileges it would have in production).
     *
     * @param jdbcUrl  a {@code jdbc:postgresql://127.0.0.1:PORT/NAME} URL without credentials
     * @param user     the owning role
     * @param password the role's password (the server trusts local connections, so it is not
     *                 checked, but it is never empty so configuration validation sees a realistic
     *                 value)
     */
    public record Database(String jdbcUrl, String user, String password) {
        @Override
        public String toString() {
            return "Database[" + jdbcUrl + ", user=" + user + "]";
        }
    }

    /**
     * Creates a fresh, empty database with a unique name ({@code doorman_<counter>_<random>}) and
     * a role of the same name that owns it, starting the shared server first if needed.
     *
     * <p>Safe to call from concurrent tests.
     */
    public static Database newDatabase() {
        return shared().createDatabase();
    }

    /** The port of the shared server, starting it if needed; for diagnostics and tooling. */
    public static int port() {
        return shared().server.getPort();
    }

    private static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = new TestPostgres(startServer());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "test-postgres-shutdown"));
        }
        return shared;
    }

    private static EmbeddedPostgres startServer() {
        long started = System.nanoTime();
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // Durability is pointless for throw-away test data; these make it faster.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    // We stop the server from our own hook, so there is one place that does it.
                    .setRegisterShutdownHook(false)
                    .start();
            log.info("Embedded PostgreSQL started on 127.0.0.1:{} in {} ms",
                    pg.getPort(), (System.nanoTime() - started) / 1_000_000);
            return pg;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL (zonky). "
                    + "If running as root, PostgreSQL is started through 'unshare -U', which needs "
                    + "util-linux and unprivileged user namespaces; check that 'unshare -U id -u' "
                    + "prints a non-zero id.", e);
        }
    }

    private Database createDatabase() {
        String name = "doorman_" + databaseCounter.incrementAndGet() + "_" + randomHex(4);
        String password = randomHex(16);
        DataSource admin = server.getPostgresDatabase();
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement()) {
            // Names and passwords are generated here from [a-z0-9_], so inlining them is safe;
            // CREATE ROLE / CREATE DATABASE cannot take bind parameters.
            statement.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
            statement.execute("CREATE DATABASE " + name + " OWNER " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name, e);
        }
        String url = "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + name;
        return new Database(url, name, password);
    }

    private void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL", e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }
}
