"""Core of the school canteen food-safety log: records, rules, storage and services.

Importing this package never loads Qt or ReportLab, so every rule and every write can be
run and tested on a machine with no screen.
"""

__version__ = "0.1.0"
