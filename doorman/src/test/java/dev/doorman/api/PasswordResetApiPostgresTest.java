package dev.doorman.api;

import dev.doorman.TestServer;

class PasswordResetApiPostgresTest extends PasswordResetApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
