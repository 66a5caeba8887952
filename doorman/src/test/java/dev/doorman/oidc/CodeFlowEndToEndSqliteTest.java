package dev.doorman.oidc;

import dev.doorman.TestServer;

class CodeFlowEndToEndSqliteTest extends CodeFlowEndToEndContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
