"""The registry app."""
