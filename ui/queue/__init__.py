"""The hand-off queue on a practitioner's desk (SPEC 11): the hand-offs waiting for their
streams, due soonest first, with urgency clocks; claim one with Enter."""
