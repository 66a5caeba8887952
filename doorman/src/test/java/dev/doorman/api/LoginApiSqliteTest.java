package dev.doorman.api;

import dev.doorman.TestServer;

class LoginApiSqliteTest extends LoginApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
