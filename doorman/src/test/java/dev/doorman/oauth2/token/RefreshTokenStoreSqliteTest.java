package dev.doorman.oauth2.token;

import dev.doorman.db.Dialect;

class RefreshTokenStoreSqliteTest extends RefreshTokenStoreContract {
    @Override
    protected Dialect dialect() {
        return Dialect.SQLITE;
    }
}
