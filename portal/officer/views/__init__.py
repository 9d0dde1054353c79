"""The officer's phone pages, one module per concept."""
