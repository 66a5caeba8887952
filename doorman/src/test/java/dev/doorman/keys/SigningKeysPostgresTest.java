package dev.doorman.keys;

import dev.doorman.db.DbSettings;
import dev.doorman.testkit.TestPostgres;

class SigningKeysPostgresTest extends SigningKeysContract {
    @Override
    DbSettings newDatabase() {
        var pg = TestPostgres.newDatabase();
        return DbSettings.jdbc(pg.jdbcUrl(), pg.user(), pg.password());
    }
}
