package dev.doorman.browser;

import dev.doorman.TestServer;

class PostgresSessionTimeoutTest extends SessionTimeoutContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
