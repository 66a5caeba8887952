package dev.doorman.oidc;

import dev.doorman.TestServer;

class RefreshedTokensSqliteTest extends RefreshedTokensContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
