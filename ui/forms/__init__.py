"""Record forms built from the core's field specs, and the small dialogs around them."""

from .record_form import RecordForm  # noqa: F401
