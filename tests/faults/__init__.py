"""The fault suite (a package, so that its conftest.py is `faults.conftest` and never shadows
tests/conftest.py, which the other test modules import as `conftest`)."""
