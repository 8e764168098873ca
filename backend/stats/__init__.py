"""Figures a community secretary reports upward: the three escalation rates, the overview."""
