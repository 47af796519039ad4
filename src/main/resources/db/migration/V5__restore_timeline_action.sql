-- A restore was queued as create_timeline with a source among its parameters; it is now an action of its own.
-- The API still shows it as create_timeline (OperationAction).
update operations set action = 'restore_timeline' where action = 'create_timeline' and params ? 'source';
