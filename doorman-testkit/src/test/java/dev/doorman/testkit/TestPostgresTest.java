package dev.doorman.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TestPostgresTest {

    @Test
    void givesTwoDistinctDatabasesThatBothAnswer() throws SQLException {
        TestPostgres.Database first = TestPostgres.newDatabase();
        TestPostgres.Database second = TestPostgres.newDatabase();

        assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
        assertThat(selectOne(first)).isEqualTo(1);
        assertThat(selectOne(second)).isEqualTo(1);
        assertThat(currentDatabase(first)).isEqualTo(first.user());
        assertThat(currentDatabase(second)).isEqualTo(second.user());
    }

    @Test
    void databaseIsEmptyAndWritableByItsOwner() throws SQLException {
        TestPostgres.Database db = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "select count(*) from information_schema.tables where table_schema = 'public'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            s.execute("create table t (id int primary key)");
            s.execute("insert into t values (42)");
            try (ResultSet rs = s.executeQuery("select id from t")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void concurrentCallersGetDistinctDatabases() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<TestPostgres.Database>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(TestPostgres::newDatabase));
            }
            Set<String> urls = new HashSet<>();
            for (Future<TestPostgres.Database> future : futures) {
                TestPostgres.Database db = future.get();
                assertThat(selectOne(db)).isEqualTo(1);
                urls.add(db.jdbcUrl());
            }
            assertThat(urls).hasSize(8);
        }
    }

    private static int selectOne(TestPostgres.Database db) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String currentDatabase(TestPostgres.Database db) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
