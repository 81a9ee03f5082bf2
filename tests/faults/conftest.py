"""The fault suite: what a user sees when the machine, the disk, the file or the server fails
under the program, and proof that nothing confirmed was lost. Every module here sets
`pytestmark = pytest.mark.faults`; its file names start with `test_fault_` so that they never
collide with the names of the tests one folder up."""
