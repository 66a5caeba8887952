package dev.doorman.oauth2.par;

import dev.doorman.db.Dialect;

class PushedRequestStoreSqliteTest extends PushedRequestStoreContract {
    @Override
    protected Dialect dialect() {
        return Dialect.SQLITE;
    }
}
