"""Outcome Coach: classify outputs vs outcomes, ladder to outcomes, propose outcome measures."""

__version__ = "0.1.0"
