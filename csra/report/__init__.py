"""The visual CS report: `python -m csra.report --database FILE --out DIR`."""
