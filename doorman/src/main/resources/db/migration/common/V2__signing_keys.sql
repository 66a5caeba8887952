-- Token signing keys (package dev.doorman.keys). Portable types; instants as epoch milliseconds.
-- Each key is bound to exactly one algorithm (RFC 8725bis: kid -> key -> one alg).
-- The private JWK is stored only encrypted (AES-256-GCM under the key-encryption key, the kid as associated data)
-- and is dropped when the key retires: a retired key only verifies, it never signs again.
create table signing_keys (
    kid          varchar(64)  primary key,          -- random, base64url
    alg          varchar(16)  not null,             -- RS256 | PS256 | ES256 | EdDSA
    state        varchar(16)  not null,             -- next (published, not yet signing) | active (signing) | retired (published until its tokens expired)
    public_jwk   text         not null,             -- the public JWK as published in the JWKS
    private_jwk  text,                              -- base64(IV || AES-GCM ciphertext || tag); null once retired
    kek_id       varchar(32),                       -- check value of the key-encryption key that sealed private_jwk (not the key)
    created_at   bigint       not null,
    activated_at bigint,
    retired_at   bigint,
    check (state in ('next', 'active', 'retired')),
    check (state = 'retired' or (private_jwk is not null and kek_id is not null))
);

-- At most one active and one next key, whatever several nodes do at once.
create unique index signing_keys_one_live_per_state on signing_keys (state) where state <> 'retired';
