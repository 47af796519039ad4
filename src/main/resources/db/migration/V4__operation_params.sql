-- What an operation needs beyond its branch and endpoint: a restore's source and point, a branch's history source.
alter table operations add column params jsonb;
