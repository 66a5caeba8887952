package dev.doorman.api;

import dev.doorman.TestServer;

class PasswordResetApiSqliteTest extends PasswordResetApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
