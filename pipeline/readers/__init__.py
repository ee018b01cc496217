"""Readers for export kinds beyond CSV, xlsx and plain JSON: legacy .xls sheets and OCDS contracting data."""
