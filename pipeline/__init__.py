"""mieruka: open-data transparency portal for municipal road and infrastructure maintenance."""

__version__ = "0.1.0"
