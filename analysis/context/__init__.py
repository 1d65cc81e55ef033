"""Country context: academic freedom, reference memberships and restrictive measures, critical-
technology shares."""
