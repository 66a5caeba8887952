package dev.doorman.mfa;

import dev.doorman.TestServer;

class MfaApiPostgresTest extends MfaApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
