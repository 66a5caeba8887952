package dev.doorman.audit;

import dev.doorman.TestServer;

class AuditApiSqliteTest extends AuditApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.SQLITE;
    }
}
