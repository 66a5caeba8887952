package dev.doorman.oauth2.token;

import dev.doorman.TestServer;

class BackChannelPostgresTest extends BackChannelContract {
    @Override
    protected TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
