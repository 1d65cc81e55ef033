"""Build machinery: configuration, the runner and its kernels, fingerprints, rendering, the run
manifest, provenance, the benchmark and PDF printing. Domain code never imports it."""
