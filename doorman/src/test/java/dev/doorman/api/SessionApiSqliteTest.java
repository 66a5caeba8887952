package dev.doorman.api;

import dev.doorman.TestServer;

class SessionApiSqliteTest extends SessionApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
