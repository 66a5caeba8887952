package dev.doorman.browser;

import dev.doorman.TestServer;

class SqliteSessionTimeoutTest extends SessionTimeoutContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
