"""Figures about the SPA's work: shifts and, later, the shift report, trends and service gaps."""
