"""veil: a static-site generator for trauma-informed personal blogs."""

__version__ = "0.1.0"
