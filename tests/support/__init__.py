"""Shared builders for the test layers; test modules import from here, never from each other."""
