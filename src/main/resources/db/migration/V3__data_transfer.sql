-- Bytes the proxy relayed from each endpoint's compute to clients (Neon's data_transfer_bytes).
alter table endpoints add column data_transfer_bytes bigint not null default 0;
