package dev.doorman.mfa;

import dev.doorman.db.Dialect;

class MfaPurgePostgresTest extends MfaPurgeContract {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRES;
    }
}
