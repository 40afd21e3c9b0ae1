"""The monitoring app."""
