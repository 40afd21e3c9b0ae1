"""``lanbai demo``: simulated reporting data produced through the real path (see :mod:`.simulator`)."""

from .simulator import DEMO_PASSWORD, DemoReport, demo_run

__all__ = ["DEMO_PASSWORD", "DemoReport", "demo_run"]
