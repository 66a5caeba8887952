package dev.doorman.api;

import dev.doorman.TestServer;

class RegistrationApiSqliteTest extends RegistrationApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
