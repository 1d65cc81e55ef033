"""Cooperation data as tidy tables: co-publications, CORDIS projects, agreement registers,
mobility."""
