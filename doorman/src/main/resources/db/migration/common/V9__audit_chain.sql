-- The audit trail becomes an append-only hash chain: every record carries its position (seq), the hash of the
-- record before it (prev_hash) and its own hash (SHA-256 over a canonical encoding of its fields and prev_hash).
-- Records written before this migration are chained, oldest first, when Doorman next starts.
alter table audit_events add column seq bigint;
alter table audit_events add column prev_hash varchar(64);
alter table audit_events add column hash varchar(64);
create unique index audit_events_by_seq on audit_events (seq);
create index audit_events_by_type on audit_events (type, at);
create index audit_events_by_ip on audit_events (ip, at);

-- One row: the head of the chain, and the anchor that pruning leaves. Every append updates this row first, inside
-- its transaction, which serializes appends on PostgreSQL (row lock) as SQLite's single writer already does.
create table audit_chain (
    id              integer     primary key,
    last_seq        bigint      not null,       -- 0 while the trail is empty
    last_hash       varchar(64) not null,
    first_seq       bigint      not null,       -- the oldest record retention kept (1 until the first prune)
    first_prev_hash varchar(64) not null,       -- that record's prev_hash: verification starts from it
    pruned_at       bigint
);
insert into audit_chain (id, last_seq, last_hash, first_seq, first_prev_hash, pruned_at)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 1,
        '0000000000000000000000000000000000000000000000000000000000000000', null);

-- Accounts that must choose a new password before doing anything else (their password showed up in a breach corpus).
create table password_change_required (
    user_id varchar(36) primary key references users (id) on delete cascade,
    reason  varchar(64) not null,
    since   bigint      not null
);
