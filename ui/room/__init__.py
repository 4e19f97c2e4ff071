"""The room, for the SPA manager (SPEC 11): who is where, the queues at a glance, and the
call-backs that came to the manager."""
