-- OAuth 2.0 / OpenID Connect grant state. One script for SQLite and PostgreSQL: portable types, instants as epoch
-- milliseconds, and every bearer secret (code, refresh token, request_uri) stored only as the lower-case hex SHA-256
-- of its value (OA-14). Client ids have no foreign key: the clients table belongs to another migration.

-- Authorization codes (OA-06, OA-07). A code stays after its redemption, until purged, so that a replay is
-- recognised and can revoke everything the first redemption issued under grant_id.
create table authorization_codes (
    code_hash      char(64)     primary key,
    grant_id       varchar(64)  not null unique,       -- every token issued from this code carries it
    client_id      varchar(255) not null,
    redirect_uri   text         not null,
    code_challenge varchar(128) not null,              -- PKCE, S256 only (OA-05)
    scope          text         not null,
    nonce          text,
    user_id        varchar(36)  not null references users (id) on delete cascade,
    session_id     varchar(36)  not null,
    auth_time      bigint       not null,
    amr            varchar(255) not null,              -- space-separated authentication methods
    acr            varchar(255),
    expires_at     bigint       not null,
    consumed_at    bigint                              -- set once, by the single winning redemption
);
create index authorization_codes_by_expiry on authorization_codes (expires_at);

-- What a user has allowed a client: one row per user and client, the scopes merged over time (OA-12).
-- The primary key also serves the per-user list.
create table consents (
    user_id    varchar(36)  not null references users (id) on delete cascade,
    client_id  varchar(255) not null,
    scope      text         not null,                  -- space-separated, sorted, no duplicates
    granted_at bigint       not null,                  -- the latest grant
    primary key (user_id, client_id)
);

-- Pushed authorization requests (RFC 9126): single use, short-lived, bound to the client that pushed them.
create table pushed_authorization_requests (
    request_uri_hash char(64)     primary key,
    client_id        varchar(255) not null,
    parameters       text         not null,            -- the request, application/x-www-form-urlencoded
    expires_at       bigint       not null,
    used             boolean      not null default false
);
create index pushed_authorization_requests_by_expiry on pushed_authorization_requests (expires_at);

-- Refresh tokens (OA-15, OA-16, OA-17, OA-20). A family is the chain of rotations from one issuance; a rotated
-- token keeps its row, so that presenting it again is recognised as reuse and can revoke the family.
create table refresh_tokens (
    token_hash        char(64)     primary key,
    family_id         varchar(64)  not null,
    grant_id          varchar(64)  not null,
    client_id         varchar(255) not null,
    user_id           varchar(36)  references users (id) on delete cascade,
    session_id        varchar(36),
    scope             text         not null,           -- as originally granted; a refresh may narrow only the access token
    created_at        bigint       not null,
    last_used_at      bigint,
    idle_expires_at   bigint       not null,           -- never later than family_expires_at
    family_expires_at bigint       not null,           -- the absolute lifetime of the family
    rotated_at        bigint,
    revoked_at        bigint
);
-- At most one usable token per family: a second winner of a concurrent rotation cannot be stored.
create unique index refresh_tokens_one_live_per_family on refresh_tokens (family_id)
    where rotated_at is null and revoked_at is null;
create index refresh_tokens_by_family on refresh_tokens (family_id);
create index refresh_tokens_by_grant on refresh_tokens (grant_id);
create index refresh_tokens_by_user on refresh_tokens (user_id, client_id);
create index refresh_tokens_by_session on refresh_tokens (session_id);
create index refresh_tokens_by_family_expiry on refresh_tokens (family_expires_at);

-- Every JWT access token issued, until it expires, so that a replayed code, a reused refresh family, a logout or a
-- password change can put the access tokens it produced on the revocation list. No foreign keys: a ledger.
create table issued_access_tokens (
    jti        varchar(128) primary key,
    grant_id   varchar(64)  not null,
    family_id  varchar(64),                            -- the refresh family it was issued beside or from, if any
    client_id  varchar(255) not null,
    user_id    varchar(36),                            -- empty for client credentials
    session_id varchar(36),
    expires_at bigint       not null
);
create index issued_access_tokens_by_grant on issued_access_tokens (grant_id);
create index issued_access_tokens_by_family on issued_access_tokens (family_id);
create index issued_access_tokens_by_user on issued_access_tokens (user_id, client_id);
create index issued_access_tokens_by_session on issued_access_tokens (session_id);
create index issued_access_tokens_by_expiry on issued_access_tokens (expires_at);

-- Access tokens revoked before their expiry (OA-21): honoured by introspection and userinfo, and published to
-- resource servers. An entry is useless once the token has expired, and is purged then.
create table revoked_access_tokens (
    jti        varchar(128) primary key,
    expires_at bigint       not null,
    revoked_at bigint       not null
);
create index revoked_access_tokens_by_expiry on revoked_access_tokens (expires_at);
