package dev.doorman.oauth2.authorize;

import dev.doorman.TestServer;

class AuthorizeFlowSqliteTest extends AuthorizeFlowContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
