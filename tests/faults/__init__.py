"""The fault suite (see conftest.py); a package so that its conftest is not imported as the top-level `conftest` the other tests import from."""
