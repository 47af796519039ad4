create table invitations (
    id          uuid primary key,
    org_id      text not null references organizations (id) on delete cascade,
    email       text not null,
    role        text not null check (role in ('admin', 'member')),
    invited_by  uuid not null references users (id),
    invited_at  timestamptz not null,
    unique (org_id, email)
);

create index api_keys_org on api_keys (org_id) where kind in ('organization', 'project');
