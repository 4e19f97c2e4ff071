"""What every screen uses: the database worker, async slots, dialogs, the row table model."""
