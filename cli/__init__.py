"""The command line without Qt: `check`, `export` and `train`, and the one way they print errors."""
