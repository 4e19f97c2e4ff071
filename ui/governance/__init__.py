"""The Governance menu and its screens: user accounts and the audit log.

``menu`` opens them; each screen is a view (``users_view``, ``audit_view``: layout only), a
controller (``users_controller``, ``audit_controller``: behaviour, the services through the
backend) and a Qt table model (``users_model``, ``audit_model``).
"""
