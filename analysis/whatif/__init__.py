"""What-if without side effects, for an analyst in a notebook (README, "Exploring safely").

- ``whatif(weights=None, min_cell=None, lang="en", processed_dir=..., scoring_model=...,
  draws=None)``: every partner country scored again from the built tables through step 25's
  own code, with other weights or another small-cell threshold: scores, classes and the share
  of uncertainty draws in each class (``WhatIf.classes()``).
- ``plot_matrix(result, lang)``: the what-if's matrix in the report's style, returned.
- ``country_card(iso2, lang, result=None)``: the report's card of one country, built or
  what-if.
- ``weights_of()``: the declared weights, by score, to start from.

Nothing here writes a file. A result read under a ``min_cell`` below the release's is marked
internal (``attrs["internal"]``), and the publisher refuses it.
"""

from analysis.whatif.card import Card, country_card
from analysis.whatif.run import WhatIf, plot_matrix, release_min_cell, weights_of, whatif

__all__ = [
    "Card",
    "WhatIf",
    "country_card",
    "plot_matrix",
    "release_min_cell",
    "weights_of",
    "whatif",
]
