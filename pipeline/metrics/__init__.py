"""Benchmark metrics: published tables -> a long-format table comparing bodies, periods and categories.

compute_metrics() builds the table, metrics_schema() is its Table Schema (pipeline/schemas/
metrics.schema.json) and metric_definitions() the versioned, bilingual definitions published with it.
"""

from .compute import COLUMNS, compute_metrics, empty_metrics, to_text
from .definitions import definitions_document, definitions_version, metric_definitions, metrics_schema

__all__ = [
    "COLUMNS",
    "compute_metrics",
    "definitions_document",
    "definitions_version",
    "empty_metrics",
    "metric_definitions",
    "metrics_schema",
    "to_text",
]
