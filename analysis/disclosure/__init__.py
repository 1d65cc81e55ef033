"""Disclosure control of everything published about survey respondents."""
