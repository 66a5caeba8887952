package dev.doorman.oauth2.revocation;

import dev.doorman.db.Dialect;

class RevocationListPostgresTest extends RevocationListContract {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRES;
    }
}
