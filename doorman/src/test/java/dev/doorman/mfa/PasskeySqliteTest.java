package dev.doorman.mfa;

import dev.doorman.TestServer;

class PasskeySqliteTest extends PasskeyApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
