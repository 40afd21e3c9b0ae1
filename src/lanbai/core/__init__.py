"""The pure computational core.

Nothing under ``lanbai.core`` imports Django or any app of the platform (checked by
import-linter).  It works on plain values, pydantic models and columnar data.
"""
