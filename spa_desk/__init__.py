"""SPA Desk application core: domain models, services, reports, settings and the command line.

No Qt here: the desktop lives in ``ui``.
"""

__version__ = "0.1.0"
