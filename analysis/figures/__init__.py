"""Publishing figures and tables: drawing (plots), numbering and captions, one file per language."""
