package dev.doorman.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.doorman.support.Tx;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * The connection pool, JDBI and migrations for one database. SQLite runs in WAL mode with foreign keys on,
 * a busy timeout and IMMEDIATE transactions, through a single pooled connection.
 */
public final class Database implements Tx, AutoCloseable {
    private final DataSource dataSource;
    private final Dialect dialect;
    private final Jdbi jdbi;
    private final AutoCloseable closer;

    private Database(DataSource dataSource, Dialect dialect, AutoCloseable closer) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
        this.closer = closer;
    }

    /** Opens a pool on the configured database. Does not connect yet: a database that is down is reported by {@link #healthy()}. */
    public static Database open(DbSettings settings) {
        Dialect dialect = settings.dialect();
        var pool = new HikariConfig();
        pool.setPoolName("doorman-db");
        pool.setConnectionTimeout(2_000);
        pool.setValidationTimeout(1_000);
        pool.setInitializationFailTimeout(-1);
        if (dialect == Dialect.SQLITE) {
            if (settings.url().isEmpty()) createDataDir(settings);
            var config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.enforceForeignKeys(true);
            config.setBusyTimeout(5_000);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            var sqlite = new SQLiteDataSource(config);
            sqlite.setUrl(settings.jdbcUrl());
            pool.setDataSource(sqlite);
            // One connection: SQLite has one writer anyway, and a thread waiting for its lock waits inside native
            // code, where a virtual thread pins its carrier; with as many waiters as cores, the holder could not run.
            // Waiting for the pool's one connection parks in Java instead.
            pool.setMaximumPoolSize(1);
        } else {
            pool.setJdbcUrl(settings.jdbcUrl());
            settings.user().ifPresent(pool::setUsername);
            settings.password().ifPresent(pool::setPassword);
            pool.setMaximumPoolSize(16);
            // A hung query must not hold a request forever (FT-06).
            pool.addDataSourceProperty("options", "-c statement_timeout=5000");
            pool.addDataSourceProperty("connectTimeout", "2");
        }
        var hikari = new HikariDataSource(pool);
        return new Database(hikari, dialect, hikari);
    }

    /** Wraps a data source the embedding application manages (it keeps ownership). */
    public static Database of(DataSource dataSource, Dialect dialect) {
        return new Database(dataSource, dialect, () -> { });
    }

    private static void createDataDir(DbSettings settings) {
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + settings.dataDir().toAbsolutePath(), e);
        }
    }

    /** Applies pending migrations; returns how many ran. */
    public int migrate() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/common")
                .load()
                .migrate()
                .migrationsExecuted;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return jdbi.inTransaction(handle -> work.get());
    }

    /** Whether a trivial query succeeds within the pool's timeouts. */
    public boolean healthy() {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the database pool failed", e);
        }
    }
}
