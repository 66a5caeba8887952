package dev.doorman.audit;

import dev.doorman.TestServer;

class AuditApiPostgresTest extends AuditApiContract {
    @Override
    TestServer.Store store() {
        return TestServer.Store.POSTGRES;
    }
}
