"""Customer-success revenue analytics: generator, loaders and CLI helpers for the dbt project."""

__version__ = "0.1.0"
