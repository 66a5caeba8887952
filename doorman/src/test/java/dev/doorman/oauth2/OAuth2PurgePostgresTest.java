package dev.doorman.oauth2;

import dev.doorman.db.Dialect;

class OAuth2PurgePostgresTest extends OAuth2PurgeContract {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRES;
    }
}
