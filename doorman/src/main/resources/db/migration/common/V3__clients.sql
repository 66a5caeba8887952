-- OAuth clients and the replay cache of their private_key_jwt assertions.
-- Portable SQLite/PostgreSQL, like V1: instants as epoch milliseconds, lists as JSON arrays in text columns.

create table clients (
    client_id            varchar(64)   primary key,  -- [A-Za-z0-9][A-Za-z0-9._-]{2,63}, never UUID-shaped (cannot equal a user's sub)
    name                 varchar(200)  not null,
    confidential         boolean       not null,
    auth_method          varchar(32)   not null,      -- client_secret_basic | client_secret_post | private_key_jwt | none
    secret_hash          char(64),                    -- SHA-256 hex of the generated secret; the secret itself is never stored
    redirect_uris        text          not null,      -- JSON array, compared by exact string
    grant_types          text          not null,      -- JSON array
    scope                varchar(2000) not null,      -- space-delimited scope tokens (RFC 6749 §3.3)
    audiences            text          not null,      -- JSON array
    jwks                 text,                        -- public JWK set of a private_key_jwt client
    access_token_ttl_ms  bigint,                      -- null: the server default
    refresh_token_ttl_ms bigint,
    consent_required     boolean       not null,
    created_at           bigint        not null,
    updated_at           bigint        not null
);

-- Each private_key_jwt assertion is single-use: SHA-256 of "client_id jti", kept until the assertion can no longer be accepted.
create table client_assertion_jtis (
    jti_hash   char(64) primary key,
    expires_at bigint   not null
);
create index client_assertion_jtis_by_expiry on client_assertion_jtis (expires_at);
