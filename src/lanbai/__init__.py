"""lanbai: monitoring, evaluation and service platform of the Lanzhou–Baiyin pilot zone."""

__version__ = "0.1.0"
