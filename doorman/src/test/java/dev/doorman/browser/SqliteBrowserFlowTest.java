package dev.doorman.browser;

import dev.doorman.TestServer;

class SqliteBrowserFlowTest extends BrowserFlowContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
