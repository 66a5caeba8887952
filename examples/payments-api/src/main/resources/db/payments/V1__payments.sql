-- payments-api's own tables, in its own SQLite file (payments.db). owner_id, payer_id, user_id: Doorman user ids.
CREATE TABLE accounts (
    id         TEXT PRIMARY KEY,
    owner_id   TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX accounts_by_owner ON accounts (owner_id);

CREATE TABLE payments (
    id           TEXT PRIMARY KEY,
    payer_id     TEXT NOT NULL,
    from_account TEXT NOT NULL REFERENCES accounts (id),
    payee        TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    currency     TEXT NOT NULL,
    reference    TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX payments_by_payer ON payments (payer_id, created_at);

-- One row per (user, Idempotency-Key) that paid: the request's fingerprint and the exact response it got.
CREATE TABLE idempotency_keys (
    user_id      TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    payment_id   TEXT NOT NULL REFERENCES payments (id),
    status       INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

-- Every payment, replay and refusal. A payment's row commits in the same transaction as the payment.
CREATE TABLE payment_audit (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    user_id    TEXT,
    event      TEXT NOT NULL,
    reason     TEXT,
    payment_id TEXT,
    account_id TEXT,
    amount     INTEGER,
    idem_key   TEXT,
    ip         TEXT
);
