package dev.doorman.mfa;

import dev.doorman.TestServer;

class MfaOidcPostgresTest extends MfaOidcContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
