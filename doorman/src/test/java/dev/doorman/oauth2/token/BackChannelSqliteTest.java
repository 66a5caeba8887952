package dev.doorman.oauth2.token;

import dev.doorman.TestServer;

class BackChannelSqliteTest extends BackChannelContract {
    @Override
    protected TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
