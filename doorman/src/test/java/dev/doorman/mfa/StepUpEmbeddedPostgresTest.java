package dev.doorman.mfa;

import dev.doorman.db.DbSettings;
import dev.doorman.testkit.TestPostgres;

import java.nio.file.Path;

class StepUpEmbeddedPostgresTest extends StepUpEmbeddedTest {
    @Override
    DbSettings dbSettings(Path dir) {
        var pg = TestPostgres.newDatabase();
        return DbSettings.jdbc(pg.jdbcUrl(), pg.user(), pg.password());
    }
}
