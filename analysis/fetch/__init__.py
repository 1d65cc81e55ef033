"""Downloaders of the public sources into data/raw/public, with their MANIFEST.yaml entries."""
