package dev.doorman.browser;

import dev.doorman.TestServer;

class PostgresBrowserFlowTest extends BrowserFlowContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
