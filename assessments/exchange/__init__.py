"""Excel exchange: reading the tables offices send (annex, field summary, national results),
importing them all or nothing, and exporting the annex in the official layout.

- ``safety``: refuses files that are too big, not spreadsheets, encrypted or zip bombs.
- ``tables``: turns .xlsx/.csv/.tsv into rows of raw values; finds header rows by their text.
- ``annex_table``: reading the per-criterion annex table from a sheet (rows, codes, numbers).
- ``annex``: the annex import service (checks against the framework, sums, writes, history).
- ``published``: the field summary and national results tables (PublishedResult).
- ``export``: the annex as an .xlsx in the official layout.
- ``resources``, ``admin_mixins``: django-import-export format, resources, forms and the
  admin's import (upload → preview → confirm) and annex export views.
- ``cli``: what the management commands share (reading a file, printing an outcome).
"""
