package dev.doorman.api;

import dev.doorman.TestServer;

class RegistrationApiPostgresTest extends RegistrationApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
