package dev.doorman.mfa;

import dev.doorman.TestServer;

class MfaApiSqliteTest extends MfaApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
