"""The course notebooks' sources: one module per notebook (see tools/build_notebooks.py)."""
