package dev.doorman.api;

import dev.doorman.TestServer;

class PasswordPolicyApiPostgresTest extends PasswordPolicyApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
