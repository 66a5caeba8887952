package dev.doorman.access;

import dev.doorman.TestServer;

class AccessSqliteTest extends AccessContract {
    @Override
    protected TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
