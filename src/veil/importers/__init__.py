"""Importers from other blogging tools."""
