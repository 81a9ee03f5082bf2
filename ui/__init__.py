"""The desk: PySide6 windows over the canteen core.

Widgets only lay out and forward: every write goes through `canteen.services`, every slow
call through `ui.workers`, so the same rules hold whether a record comes from a form or a script.
"""
