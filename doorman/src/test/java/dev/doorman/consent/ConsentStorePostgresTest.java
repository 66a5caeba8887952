package dev.doorman.consent;

import dev.doorman.db.Dialect;

class ConsentStorePostgresTest extends ConsentStoreContract {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRES;
    }
}
