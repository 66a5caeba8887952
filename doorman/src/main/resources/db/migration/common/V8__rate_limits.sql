-- Token buckets shared by every node when the database is PostgreSQL (Bucket4j's PostgreSQL integration,
-- advisory-lock proxy manager with a string key). On SQLite the buckets live in memory and this table stays empty.
-- id: a limit's wire name and its key (a source address, or a hash of an account identifier); never an address in clear for accounts.
create table guard_buckets (
    id         varchar(255) primary key,
    state      bytea,
    expires_at bigint,
    -- set by Bucket4j's advisory-lock proxy manager when it inserts a bucket (its lockColumn)
    explicit_lock bigint
);
create index guard_buckets_by_expiry on guard_buckets (expires_at);
