"""The one way in for reading: everything the desk, the documents and the command line show.

Each function takes the session first, so the site (and, where a service checks it, the role)
applies in one place (`scope.scope_of`), and returns plain values — frozen dataclasses, dicts,
tuples — never a database row. `ui/` and `reports/` read through here and import no peewee,
no `canteen.models`, no `canteen.db`. The record-type metadata in `kinds` is static and takes
no session.

Callers import the submodules: `from canteen.read import kinds, rows`.
"""
