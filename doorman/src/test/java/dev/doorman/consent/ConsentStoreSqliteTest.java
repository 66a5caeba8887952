package dev.doorman.consent;

import dev.doorman.db.Dialect;

class ConsentStoreSqliteTest extends ConsentStoreContract {
    @Override
    protected Dialect dialect() {
        return Dialect.SQLITE;
    }
}
