package dev.doorman.api;

import dev.doorman.TestServer;

class VerificationApiPostgresTest extends VerificationApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
