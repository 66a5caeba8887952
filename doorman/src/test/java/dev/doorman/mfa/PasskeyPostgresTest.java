package dev.doorman.mfa;

import dev.doorman.TestServer;

class PasskeyPostgresTest extends PasskeyApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
