"""The indices app."""
