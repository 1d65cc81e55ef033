"""Analysis toolkit for a situational picture of responsible international cooperation.

Notebooks in ``notebooks/`` tell the story; this package does the work: reading raw data,
cleaning, validation, disclosure control, scoring, plotting and the pipeline runner.
"""

__version__ = "0.1.0"
