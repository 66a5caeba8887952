package dev.doorman.oauth2.code;

import dev.doorman.db.Dialect;

class CodeStoreSqliteTest extends CodeStoreContract {
    @Override
    protected Dialect dialect() {
        return Dialect.SQLITE;
    }
}
