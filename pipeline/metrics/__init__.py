"""Benchmark metrics: published tables -> a long-format table comparing bodies, periods and categories.

compute_metrics() builds the table, metrics_schema() is its Table Schema (pipeline/schemas/
metrics.schema.json) and metric_definitions() the versioned, bilingual definitions published with it.
compute_by_body() builds the same table body by body, reusing a body's cached rows while its package
and the table's context are unchanged; rows_by_body() gives it in parts, in the published order, so that
the combined package writes it without holding it whole, and text_by_body() gives those parts as their
published bytes, an unchanged body's kept from the night before (pipeline/metrics/bodies.py).

Publishing: to_text(compute_metrics(...)) gives the text cells the package writer expects (empty for
missing, true/false). A metric broken down by a dimension (channel, decline reason, contract type, work
category) has one row per code, with metric_id "<id>.<code>"; its definition lists the codes and labels
under dimension_values.
"""

from .bodies import CACHE_DIR, WHOLE_PASS_CELLS, Body, Cache, Settings, compute_by_body, rows_by_body, text_by_body
from .compute import COLUMNS, compute_metrics, empty_metrics, to_text
from .definitions import definitions_document, definitions_version, metric_definitions, metrics_schema
from .denominators import Reference
from .inputs import READS, rows_read

__all__ = [
    "CACHE_DIR",
    "COLUMNS",
    "READS",
    "WHOLE_PASS_CELLS",
    "Body",
    "Cache",
    "Reference",
    "Settings",
    "compute_by_body",
    "compute_metrics",
    "definitions_document",
    "definitions_version",
    "empty_metrics",
    "metric_definitions",
    "metrics_schema",
    "rows_by_body",
    "rows_read",
    "text_by_body",
    "to_text",
]
