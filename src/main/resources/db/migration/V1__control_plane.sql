create table users (
    id          uuid primary key,
    email       text not null unique,
    name        text not null,
    created_at  timestamptz not null
);

create table organizations (
    id          text primary key,
    name        text not null,
    handle      text not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);

create table org_members (
    id          uuid primary key,
    org_id      text not null references organizations (id) on delete cascade,
    user_id     uuid not null references users (id) on delete cascade,
    role        text not null check (role in ('admin', 'member')),
    joined_at   timestamptz not null,
    unique (org_id, user_id)
);

create table api_keys (
    id                  bigserial primary key,
    name                text not null,
    token_hash          bytea not null unique,
    kind                text not null check (kind in ('personal', 'organization', 'project')),
    user_id             uuid references users (id),
    created_by          uuid not null references users (id),
    org_id              text references organizations (id),
    project_id          text,
    created_at          timestamptz not null,
    last_used_at        timestamptz,
    last_used_from_addr text,
    revoked             boolean not null default false
);

create table projects (
    id                        text primary key,
    org_id                    text not null references organizations (id),
    name                      text not null,
    region_id                 text not null,
    pg_version                int not null,
    provisioner               text not null,
    store_passwords           boolean not null,
    history_retention_seconds int not null,
    default_endpoint_settings jsonb not null,
    settings                  jsonb not null,
    creation_source           text not null,
    created_at                timestamptz not null,
    updated_at                timestamptz not null,
    compute_last_active_at    timestamptz,
    deleted_at                timestamptz
);
create index projects_live on projects (org_id, created_at desc, id) where deleted_at is null;

create table branches (
    id                    text primary key,
    project_id            text not null references projects (id),
    parent_id             text,
    name                  text not null,
    parent_lsn            text,
    parent_timestamp      timestamptz,
    current_state         text not null,
    pending_state         text,
    state_changed_at      timestamptz not null,
    is_default            boolean not null,
    protected             boolean not null,
    init_source           text not null,
    expires_at            timestamptz,
    logical_size          bigint,
    last_reset_at         timestamptz,
    annotation            jsonb,
    annotation_created_at timestamptz,
    annotation_updated_at timestamptz,
    created_by            uuid,
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    deleted_at            timestamptz
);
create unique index branches_name on branches (project_id, name) where deleted_at is null;
create index branches_project on branches (project_id) where deleted_at is null;

create table endpoints (
    id                       text primary key,
    project_id               text not null references projects (id),
    branch_id                text not null references branches (id),
    type                     text not null,
    region_id                text not null,
    autoscaling_limit_min_cu double precision not null,
    autoscaling_limit_max_cu double precision not null,
    provisioner              text not null,
    suspend_timeout_seconds  int not null,
    disabled                 boolean not null,
    pooler_enabled           boolean not null,
    pooler_mode              text not null,
    settings                 jsonb not null,
    current_state            text not null,
    pending_state            text,
    proxy_port               int,
    last_active              timestamptz,
    started_at               timestamptz,
    suspended_at             timestamptz,
    creation_source          text not null,
    created_at               timestamptz not null,
    updated_at               timestamptz not null,
    deleted_at               timestamptz
);
create index endpoints_project on endpoints (project_id) where deleted_at is null;
create index endpoints_branch on endpoints (branch_id) where deleted_at is null;
create unique index endpoints_one_writer on endpoints (branch_id) where deleted_at is null and type = 'read_write';

create table roles (
    branch_id      text not null references branches (id),
    name           text not null,
    password       text,
    scram_verifier text,
    protected      boolean not null,
    no_login       boolean not null,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    primary key (branch_id, name)
);

create table databases (
    id          bigserial primary key,
    branch_id   text not null references branches (id),
    name        text not null,
    owner_name  text not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    unique (branch_id, name)
);

create table operations (
    id                uuid primary key,
    seq               bigserial unique,
    project_id        text not null,
    branch_id         text,
    endpoint_id       text,
    action            text not null,
    status            text not null,
    resources         text[] not null,
    failures_count    int not null default 0,
    error             text,
    retry_at          timestamptz,
    locked_until      timestamptz,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    total_duration_ms int not null default 0
);
create index operations_project on operations (project_id, created_at desc, seq desc);
create index operations_unfinished on operations (seq) where status in ('scheduling', 'running');
create index operations_resources on operations using gin (resources) where status in ('scheduling', 'running');
