package dev.doorman.api;

import dev.doorman.TestServer;

class LoginApiPostgresTest extends LoginApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
