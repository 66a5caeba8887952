package dev.doorman.api;

import dev.doorman.TestServer;

class PasswordChangeApiPostgresTest extends PasswordChangeApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
