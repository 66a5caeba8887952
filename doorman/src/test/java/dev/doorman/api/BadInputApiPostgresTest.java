package dev.doorman.api;

import dev.doorman.TestServer;

class BadInputApiPostgresTest extends BadInputApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
