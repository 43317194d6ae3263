"""Revisions: every write is one, stored with it in the same atomic unit.

`model` holds what a revision is (the change itself with before/after properties,
who, when, from which source); recording, reading, diffs and past states are
built on it in the other modules of this package.
"""
