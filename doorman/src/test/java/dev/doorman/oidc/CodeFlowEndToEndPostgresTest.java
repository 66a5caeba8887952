package dev.doorman.oidc;

import dev.doorman.TestServer;

class CodeFlowEndToEndPostgresTest extends CodeFlowEndToEndContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
