package dev.doorman.audit;

import dev.doorman.db.Dialect;

class AuditChainPostgresTest extends AuditChainContract {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRES;
    }
}
