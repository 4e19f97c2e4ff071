"""Alembic migrations of the SPA Desk schema."""
