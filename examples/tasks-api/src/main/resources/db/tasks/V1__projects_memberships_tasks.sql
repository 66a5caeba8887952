-- The tasks API's own tables, in its own database: nothing here is shared with Doorman.
-- Members and assignees are written <kind>:<id> (user:<sub> or client:<client_id>), as in tokens.
create table projects (
    id          varchar(36)  primary key,
    name        varchar(100) not null,
    created_by  varchar(210) not null,
    created_at  varchar(40)  not null
);

-- The per-project role bindings (worker or manager), managed by the project's managers and the API's admins.
create table memberships (
    project_id  varchar(36)  not null references projects (id) on delete cascade,
    member      varchar(210) not null,
    role        varchar(16)  not null check (role in ('worker', 'manager')),
    added_by    varchar(210) not null,
    added_at    varchar(40)  not null,
    primary key (project_id, member)
);
create index memberships_by_member on memberships (member);

create table tasks (
    id          varchar(36)   primary key,
    project_id  varchar(36)   not null references projects (id) on delete cascade,
    title       varchar(200)  not null,
    description varchar(4000) not null,
    assignee    varchar(210),
    status      varchar(16)   not null check (status in ('todo', 'doing', 'done')),
    created_at  varchar(40)   not null,
    updated_at  varchar(40)   not null
);
create index tasks_by_project on tasks (project_id, created_at);
