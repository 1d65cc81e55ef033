"""Reference data shared by every domain: countries and their names in every report language."""
