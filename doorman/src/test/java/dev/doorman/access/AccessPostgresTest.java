package dev.doorman.access;

import dev.doorman.TestServer;

class AccessPostgresTest extends AccessContract {
    @Override
    protected TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
