package dev.doorman.api;

import dev.doorman.TestServer;

class SessionApiPostgresTest extends SessionApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
