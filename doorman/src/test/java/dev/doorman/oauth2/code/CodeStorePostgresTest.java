package dev.doorman.oauth2.code;

import dev.doorman.db.Dialect;

class CodeStorePostgresTest extends CodeStoreContract {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRES;
    }
}
