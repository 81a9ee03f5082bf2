"""The desk's pages: one QWidget per place in the navigation list."""
