"""Persistence for SPA Desk: typed SQLAlchemy 2.0 models, engine set-up and Alembic migrations.

Knows nothing of Qt, of the screening rules or of the layers above it.
"""
