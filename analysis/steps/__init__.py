"""One module per notebook, named as the notebook, owning the schemas of the tables it writes."""
