"""The Administration API: projects, users, invites, keys, service accounts, usage, costs and audit logs."""
