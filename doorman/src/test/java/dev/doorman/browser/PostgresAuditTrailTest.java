package dev.doorman.browser;

import dev.doorman.TestServer;

class PostgresAuditTrailTest extends AuditTrailContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
