"""The sharing pages, one module per job."""
