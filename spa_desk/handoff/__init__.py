"""The level-2 hand-off (SPEC 11): a call handler passes a call that needs level 2 to its
stream's queue, warm or as a call-back; a practitioner of the stream claims it once and carries
on with everything recorded so far; a call-back's attempts are kept, and after three unanswered
ones it goes to the SPA manager."""
