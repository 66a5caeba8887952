package dev.doorman.api;

import dev.doorman.TestServer;

class PasswordPolicyApiSqliteTest extends PasswordPolicyApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
