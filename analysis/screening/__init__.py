"""Partner screening: name normalisation and matching against reference lists, reviewer decisions."""
