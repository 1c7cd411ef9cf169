"""The staff pages of the files, one module per job."""
