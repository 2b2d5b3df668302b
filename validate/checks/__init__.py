"""Checks: small functions, each yielding the findings of one rule about a package."""

from converter import compiled

compiled.activate(__name__, __path__)  # the arithmetic and cross-table checks run on every conversion
