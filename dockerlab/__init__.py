"""dockerlab: learn Docker container registries by doing."""

__version__ = "0.1.0"
