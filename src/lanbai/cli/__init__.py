"""The ``lanbai`` command line: every user and operator action goes through it."""
