package dev.doorman.oidc;

import dev.doorman.TestServer;

class RefreshedTokensPostgresTest extends RefreshedTokensContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
