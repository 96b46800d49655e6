"""A postprocessing hook of the OpenAPI schema (SPECTACULAR_SETTINGS).

The bounds drf-spectacular gives a model's integer field come from the database in use:
PostgreSQL's `integer` is 32-bit, SQLite's 64-bit. The API's contract must not depend on the
development database, so model integers are documented with PostgreSQL's range, which is what
a province runs; the checked-in schema is then the same whichever database generated it.
"""

from __future__ import annotations

from typing import Any

INT64_MAX = 9223372036854775807
INT32_MAX = 2147483647
INT64_MIN = -9223372036854775808
INT32_MIN = -2147483648


def _normalise(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "integer":
            if node.get("maximum") == INT64_MAX:
                node["maximum"] = INT32_MAX
                if node.get("format") == "int64":
                    del node["format"]
            if node.get("minimum") == INT64_MIN:
                node["minimum"] = INT32_MIN
        for value in node.values():
            _normalise(value)
    elif isinstance(node, list):
        for value in node:
            _normalise(value)


def integers_as_on_postgresql(result, generator, request, public):
    """drf-spectacular's hook signature; returns the schema with 32-bit model integers."""
    _normalise(result)
    return result
