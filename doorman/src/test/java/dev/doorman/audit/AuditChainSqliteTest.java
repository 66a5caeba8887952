package dev.doorman.audit;

import dev.doorman.db.Dialect;

class AuditChainSqliteTest extends AuditChainContract {
    @Override
    protected Dialect dialect() {
        return Dialect.SQLITE;
    }
}
