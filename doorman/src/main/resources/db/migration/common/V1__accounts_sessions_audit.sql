-- One set of migrations for SQLite and PostgreSQL: portable types, instants as epoch milliseconds.

create table users (
    id             varchar(36)  primary key,
    email          varchar(320) not null unique,  -- trimmed and case-folded: the uniqueness key
    name           varchar(200),
    password_hash  varchar(255),                  -- Argon2id PHC string; null for an account without a password
    email_verified boolean      not null default false,
    disabled       boolean      not null default false,
    created_at     bigint       not null,
    updated_at     bigint       not null
);

create table roles (
    name        varchar(100) primary key,
    description varchar(500)
);

create table user_roles (
    user_id varchar(36)  not null references users (id) on delete cascade,
    role    varchar(100) not null references roles (name) on delete cascade,
    primary key (user_id, role)
);

create table sessions (
    id           varchar(36) primary key,         -- public handle, shown in session lists
    token_hash   char(64)    not null unique,     -- SHA-256 of the cookie value; the value itself is never stored
    user_id      varchar(36) not null references users (id) on delete cascade,
    created_at   bigint      not null,
    last_seen_at bigint      not null,
    expires_at   bigint      not null,            -- the absolute timeout
    auth_time    bigint      not null,
    ip           varchar(64) not null,
    user_agent   varchar(512) not null
);
create index sessions_by_user on sessions (user_id);

-- Single-use e-mailed secrets (verification and reset links), stored as SHA-256 only.
create table action_tokens (
    token_hash char(64)    primary key,
    purpose    varchar(32) not null,
    user_id    varchar(36) not null references users (id) on delete cascade,
    created_at bigint      not null,
    expires_at bigint      not null
);
create index action_tokens_by_user on action_tokens (user_id, purpose);

-- Append-only. No foreign key: the trail outlives the account.
create table audit_events (
    id           varchar(36)  primary key,
    at           bigint       not null,
    type         varchar(64)  not null,
    outcome      varchar(16)  not null,
    reason       varchar(64),
    user_id      varchar(36),
    subject_hint varchar(64),                      -- a truncated hash of an identifier that matched no account
    ip           varchar(64)  not null,
    user_agent   varchar(512) not null
);
create index audit_events_by_time on audit_events (at);
create index audit_events_by_user on audit_events (user_id);

-- Keys every node must share (the CSRF HMAC key), created once by whichever node starts first.
create table server_secrets (
    name       varchar(64)  primary key,
    value      varchar(255) not null,
    created_at bigint       not null
);
