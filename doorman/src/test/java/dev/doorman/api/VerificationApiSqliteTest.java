package dev.doorman.api;

import dev.doorman.TestServer;

class VerificationApiSqliteTest extends VerificationApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
