"""Survey domain logic: the codebook, export mappings, cleaning with row accounting, analysis."""
