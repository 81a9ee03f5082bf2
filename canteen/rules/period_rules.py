"""Period rules: what a range of days is missing or did wrong (violations, warnings, reminders)."""
