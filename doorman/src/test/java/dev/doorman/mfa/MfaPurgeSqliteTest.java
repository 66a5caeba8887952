package dev.doorman.mfa;

import dev.doorman.db.Dialect;

class MfaPurgeSqliteTest extends MfaPurgeContract {
    @Override
    protected Dialect dialect() {
        return Dialect.SQLITE;
    }
}
