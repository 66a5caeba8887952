-- Multi-factor authentication: TOTP, recovery codes, login challenges, passkeys (WebAuthn).
-- One script for SQLite and PostgreSQL; instants as epoch milliseconds.

-- What each session proved: space-separated RFC 8176 methods (pwd, otp, hwk, swk, mfa) and when a second factor
-- was last checked (null: never). Existing sessions logged in with a password.
alter table sessions add column amr varchar(64) not null default 'pwd';
alter table sessions add column second_factor_at bigint;

-- A confirmed TOTP authenticator, one per user. The secret is AES-256-GCM under the key-encryption key.
-- last_step is the newest RFC 6238 time step accepted: a code of that step or an older one is refused (MF-01).
create table mfa_totp (
    user_id       varchar(36)  primary key references users (id) on delete cascade,
    secret_sealed varchar(255) not null,
    last_step     bigint       not null,
    created_at    bigint       not null
);

-- A TOTP secret shown on the enrollment page and not yet confirmed by a code.
create table mfa_totp_pending (
    user_id       varchar(36)  primary key references users (id) on delete cascade,
    secret_sealed varchar(255) not null,
    expires_at    bigint       not null
);

-- Single-use recovery codes: 120 random bits each, so SHA-256 is enough (like every other bearer secret here).
create table mfa_recovery_codes (
    code_hash  char(64)    primary key,
    user_id    varchar(36) not null references users (id) on delete cascade,
    created_at bigint      not null
);
create index mfa_recovery_codes_by_user on mfa_recovery_codes (user_id);

-- A login between the password and the second factor. The browser holds the token (a cookie); only its SHA-256
-- is here. It is not a session: nothing but the challenge endpoints accepts it.
create table mfa_challenges (
    token_hash      char(64)     primary key,
    user_id         varchar(36)  not null references users (id) on delete cascade,
    password_digest char(64)     not null,            -- SHA-256 of the password hash verified: a change kills the challenge
    previous_session varchar(36),                     -- ended when the login completes
    return_to       varchar(1024) not null,
    failures        integer      not null default 0,
    created_at      bigint       not null,
    expires_at      bigint       not null
);
create index mfa_challenges_by_expiry on mfa_challenges (expires_at);

-- Wrong second-factor attempts per account, for the per-account bound across challenges and step-ups.
create table mfa_failures (
    user_id varchar(36) not null references users (id) on delete cascade,
    at      bigint      not null
);
create index mfa_failures_by_user on mfa_failures (user_id, at);

-- Passkeys and security keys (WebAuthn credentials).
create table webauthn_credentials (
    id              varchar(36)  primary key,
    credential_id   varchar(1400) not null unique,    -- base64url of the authenticator's credential id
    user_id         varchar(36)  not null references users (id) on delete cascade,
    name            varchar(100) not null,
    attested_data   text         not null,            -- base64 of the attested credential data (AAGUID, id, COSE key)
    sign_count      bigint       not null,
    uv_initialized  boolean      not null,
    backup_eligible boolean      not null,
    backup_state    boolean      not null,
    passwordless    boolean      not null default false,
    transports      varchar(255) not null default '',
    created_at      bigint       not null,
    last_used_at    bigint
);
create index webauthn_credentials_by_user on webauthn_credentials (user_id);

-- WebAuthn challenges handed out and not yet answered: single use, short-lived, bound to what asked for them
-- (the session, or the login challenge), under the SHA-256 of the challenge.
create table webauthn_ceremonies (
    challenge_hash char(64)    primary key,
    purpose        varchar(16) not null,              -- register, second_factor, step_up, passwordless
    user_id        varchar(36),
    binding        varchar(64),                       -- a session id or a login challenge's token hash; null for passwordless
    expires_at     bigint      not null
);
create index webauthn_ceremonies_by_expiry on webauthn_ceremonies (expires_at);
