-- Role bindings for the policy engine (doorman-authz): a subject (a user id or a client_id) holds a role everywhere
-- or on one resource ("manager of project/42"). Global user roles also live in user_roles (V1); both count.
-- Portable SQLite/PostgreSQL: '' for "no resource" so that the unique key also holds for global bindings
-- (NULLs would never collide); instants as epoch milliseconds.

create table role_bindings (
    subject_id    varchar(64)  not null,              -- a user's UUID or a client_id
    role          varchar(100) not null,              -- a role of the policy file
    resource_type varchar(64)  not null default '',   -- '' with resource_id '': a global binding
    resource_id   varchar(256) not null default '',
    created_at    bigint       not null,
    primary key (subject_id, role, resource_type, resource_id)
);
