"""The standard intake format: canonical columns, private ones included, before anonymization.

Every adapter maps a municipality's export onto these columns; a municipality can also
export them directly (adapter `_standard.toml`). Columns marked private never reach a package.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One intake column. `kind` says how normalize parses it."""

    name: str
    kind: str  # id | date | enum | int | number | bool | text | code | private
    required: bool = False
    enum_field: str | None = None  # schema field whose enum this column uses (default: same name)
    description: str = ""


def _c(name: str, kind: str, required: bool = False, enum_field: str | None = None,
       description: str = "") -> Column:
    return Column(name, kind, required, enum_field, description)


INTAKE: dict[str, tuple[Column, ...]] = {
    "cases": (
        _c("case_number", "id", True, description="the municipality's own case number"),
        _c("received", "date", True, description="date (and time) received"),
        _c("infrastructure", "enum"),
        _c("category", "enum", True),
        _c("channel", "enum"),
        _c("road_administrator", "enum"),
        _c("status", "enum", True),
        _c("first_response", "date"),
        _c("closed", "date"),
        _c("resolution", "enum"),
        _c("decline_reason", "enum"),
        _c("referred_to", "enum"),
        _c("referred_to_code", "code"),
        _c("reopened", "bool"),
        _c("duplicate_of", "id", description="case number of the earlier report"),
        _c("town", "text", description="town or 大字 name"),
        _c("address", "private", description="street address: used to find the town, never published"),
        _c("latitude", "number", description="exact latitude: generalized before publication"),
        _c("longitude", "number", description="exact longitude: generalized before publication"),
        _c("description", "text"),
        _c("status_detail", "text"),
        _c("reporter_name", "private"),
        _c("reporter_phone", "private"),
        _c("reporter_email", "private"),
    ),
    "actions": (
        _c("case_number", "id", True),
        _c("action", "enum", True),
        _c("action_date", "date", True),
        _c("actor", "enum"),
        _c("note", "text"),
    ),
    "contracts": (
        _c("contract_id", "id", True),
        _c("title", "text", True),
        _c("infrastructure", "enum"),
        _c("work_category", "enum", True),
        _c("contract_type", "enum", True),
        _c("procurement_method", "enum", True),
        _c("contractor", "text", True),
        _c("district", "text"),
        _c("start_date", "date", True),
        _c("end_date", "date", True),
        _c("contract_amount", "int", True),
        _c("estimated_price", "int"),
        _c("bidders", "int", description="number of firms that bid"),
    ),
    "work_orders": (
        _c("work_order_id", "id", True),
        _c("contract_id", "id", True),
        _c("case_number", "id"),
        _c("infrastructure", "enum"),
        _c("work_category", "enum", True),
        _c("order_date", "date", True),
        _c("completion_date", "date"),
        _c("status", "enum", True),
        _c("amount", "int"),
        _c("town", "text"),
        _c("address", "private"),
        _c("latitude", "number"),
        _c("longitude", "number"),
    ),
}

# why: the schema field holding an intake column's enum, where the names differ.
ENUM_FIELD = {("actions", "action"): "action", ("work_orders", "status"): "status"}

PRIVATE_COLUMNS = frozenset(
    c.name for cols in INTAKE.values() for c in cols if c.kind == "private"
) | {"latitude", "longitude", "case_number", "duplicate_of", "address"}


def columns(resource: str) -> tuple[Column, ...]:
    return INTAKE[resource]


def names(resource: str) -> list[str]:
    return [c.name for c in INTAKE[resource]]
