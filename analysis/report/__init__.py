"""The report: its data, the key findings, one module per chapter, the institution report."""
