package dev.doorman.mfa;

import dev.doorman.TestServer;

class MfaOidcSqliteTest extends MfaOidcContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
