package dev.doorman.api;

import dev.doorman.TestServer;

class PasswordChangeApiSqliteTest extends PasswordChangeApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
