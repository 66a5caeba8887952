package dev.doorman.api;

import dev.doorman.TestServer;

class BadInputApiSqliteTest extends BadInputApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
