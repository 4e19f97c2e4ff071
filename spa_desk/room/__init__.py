"""The room (SPEC 11): where each desk is (presence) and, for the SPA manager, the room at a
glance: who is where, the queues with their oldest waiting and overdue hand-offs, and the
call-backs that came to the manager after three unanswered attempts."""
