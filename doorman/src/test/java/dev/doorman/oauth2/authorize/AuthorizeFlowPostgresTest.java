package dev.doorman.oauth2.authorize;

import dev.doorman.TestServer;

class AuthorizeFlowPostgresTest extends AuthorizeFlowContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
