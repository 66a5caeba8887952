package dev.doorman.browser;

import dev.doorman.TestServer;

class SqliteAuditTrailTest extends AuditTrailContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
