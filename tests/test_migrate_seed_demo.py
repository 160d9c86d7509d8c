"""The rows of a database filled by `seed_demo` under the old schema (3e75ca4, before the shared
bookkeeping refactor) all survive the migrations to the current schema.

The fixture is every row of the portal's tables at 3e75ca4, plus the users and groups they point to. It was
made in a worktree of that commit on SQLite: `migrate`, `seed_demo` (300 poursuites), then a few flows that
seed_demo leaves out, run through the old services and the sandbox PSP so that every money table has rows:
card payments of a poursuite instalment, an ADB, a penal order, an extract and a non-divulgation fee; a refused
card; a second card payment of the paid penal order (a surplus incident); a refund; two counter payments of a
penal order under a payment arrangement; an extract issued and a failed verification (a one-off script of
calls to services that have changed since, not kept). Then `dump` below, run as a script under the old code:

    git worktree add /tmp/oldschema 3e75ca4 && cd /tmp/oldschema
    export PYTHONPATH=$PWD DATABASE_URL=sqlite:///$PWD/old.sqlite3 DEBUG=1  # the old code, not the installed one
    python manage.py migrate && python manage.py seed_demo  # then the flows above
    DJANGO_SETTINGS_MODULE=ocp_portal.settings python $REPO/tests/test_migrate_seed_demo.py \
        $REPO/tests/fixtures/seed_demo_3e75ca4.json.gz  # from there: Celery puts the working folder on sys.path

A table the migrations drop must be named in DROPPED_TABLES with where its rows went; every other table keeps
its rows (count, ids and total `amount`). The test ends with the database at the latest migrations.
"""

import datetime as dt
import gzip
import json
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor

BASE_DIR = Path(__file__).resolve().parent.parent
FIXTURE = BASE_DIR / "tests" / "fixtures" / "seed_demo_3e75ca4.json.gz"
APPS = ("accounts", "paiements", "poursuites", "extraits", "contraventions")
AUTH_TABLES = ("auth_user", "auth_group", "auth_user_groups")
OLD_LEAVES = [
    ("accounts", "0002_clerk_groups"),
    ("paiements", "0003_receipt_undeliverable_incident"),
    ("poursuites", "0009_party_name_key"),
    ("extraits", "0002_clerk_groups"),
    ("contraventions", "0003_decimal_minimum_amounts"),
]
# Tables the migrations drop, and where their rows went (each destination has a check of its own below).
# A fixture table missing after the migrations and not named here is reported as lost.
DROPPED_TABLES = {
    "poursuites_numbercounter": "ocp_portal.NumberSeries 'poursuites'",
    "contraventions_casenumbercounter": "ocp_portal.NumberSeries 'ordonnances-penales'",
}
NUMBER_SERIES = {"poursuites_numbercounter": "poursuites", "contraventions_casenumbercounter": "ordonnances-penales"}
CENT = Decimal("0.01")


def sql(template: str, table: str, columns=()) -> str:
    """`template` with its {table}, {columns} and {params}: names from the fixture or the schema, quoted."""
    qn = connection.ops.quote_name
    params = ", ".join(["%s"] * len(columns))
    return template.format(table=qn(table), columns=", ".join(map(qn, columns)), params=params)


# --- The fixture: {table: {"columns": [...], "types": [...], "rows": [[...], ...]}}, tables in foreign-key order


def storage_type(field) -> str:
    if field.is_relation:
        field = field.target_field
    kind = field.get_internal_type()
    if kind in ("BooleanField", "DateField", "DateTimeField", "DecimalField", "JSONField", "UUIDField"):
        return kind.removesuffix("Field").lower()
    return "int" if kind.endswith(("AutoField", "IntegerField")) else "str"


def to_json(value, field):
    """A value as read from the old SQLite database (raw or converted by Django's sqlite3 adapters)."""
    kind = storage_type(field)
    if value is None or kind in ("int", "str"):
        return value
    if kind == "datetime":
        value = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
    if kind == "date":
        return value if isinstance(value, str) else value.isoformat()
    if kind == "decimal":
        return str(Decimal(str(value)).quantize(Decimal(1).scaleb(-field.decimal_places)))
    if kind == "uuid":
        return str(uuid.UUID(str(value)))
    return bool(value) if kind == "boolean" else value  # json: the stored text


def dump(path: str) -> None:
    """Write the fixture from the database of the code installed (run under the old code, see above)."""
    portal = [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in APPS]
    auth = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in AUTH_TABLES]
    assert {model._meta.app_label for model in portal} == set(APPS), "the portal's apps, not tests/ folders"
    by_table = {model._meta.db_table: model for model in portal + auth}
    ordered: list[str] = []

    def visit(table):
        if table not in ordered:
            for field in by_table[table]._meta.concrete_fields:
                if field.is_relation and field.related_model._meta.db_table != table:
                    visit(field.related_model._meta.db_table)  # a KeyError: a table the fixture lacks
            ordered.append(table)

    for table in sorted(by_table):
        visit(table)
    out = {}
    with connection.cursor() as cursor:
        for table in ordered:
            fields = by_table[table]._meta.concrete_fields
            types = [storage_type(field) for field in fields]
            columns = [field.column for field in fields]
            cursor.execute(sql("SELECT {columns} FROM {table} ORDER BY 1", table, columns))
            rows = [[to_json(value, field) for value, field in zip(row, fields, strict=True)] for row in cursor]
            out[table] = {"columns": columns, "types": types, "rows": rows}
    text = json.dumps(out, ensure_ascii=False, separators=(",", ":"))
    Path(path).write_bytes(gzip.compress(text.encode(), mtime=0))


def load_fixture() -> dict:
    return json.loads(gzip.decompress(FIXTURE.read_bytes()))


def to_db(value, kind: str):
    if value is None:
        return None
    adapters = {
        "datetime": lambda v: connection.ops.adapt_datetimefield_value(dt.datetime.fromisoformat(v)),
        "date": lambda v: connection.ops.adapt_datefield_value(dt.date.fromisoformat(v)),
        "decimal": lambda v: connection.ops.adapt_decimalfield_value(Decimal(v)),
        "uuid": lambda v: models.UUIDField().get_db_prep_value(uuid.UUID(v), connection),
        "json": lambda v: connection.ops.adapt_json_value(json.loads(v), None),
        "boolean": bool,
    }
    return adapters[kind](value) if kind in adapters else value


def insert(fixture: dict) -> None:
    """The fixture's rows by raw SQL into the old schema, ids included."""
    with transaction.atomic(), connection.cursor() as cursor:
        # The roles that ocp_portal.roles gave the test database give way to the fixture's groups (the flush
        # after this test applies them again).
        cursor.execute("DELETE FROM auth_group_permissions")
        for table in reversed(fixture):
            cursor.execute(sql("DELETE FROM {table}", table))
        for table, data in fixture.items():
            columns, types = data["columns"], data["types"]
            rows = [[to_db(value, kind) for value, kind in zip(row, types, strict=True)] for row in data["rows"]]
            cursor.executemany(sql("INSERT INTO {table} ({columns}) VALUES ({params})", table, columns), rows)
            if connection.vendor == "postgresql" and "id" in columns and data["rows"]:
                reset = sql("SELECT setval(pg_get_serial_sequence(%s, 'id'), MAX(id)) FROM {table}", table)
                cursor.execute(reset, [table])


# --- Migrating


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)  # a new executor each time: it reads what is applied


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_schema(graph) -> list[tuple[str, str | None]]:
    """The old leaves, and zero for the portal's apps that had no migrations then (ocp_portal, later ones)."""
    assert all(node in graph.nodes for node in OLD_LEAVES)
    portal_apps = {config.label for config in apps.get_app_configs() if (BASE_DIR / config.name.split(".")[0]).is_dir()}
    old_apps = {app for app, _name in OLD_LEAVES}
    new_apps = sorted({app for app, _name in graph.leaf_nodes() if app in portal_apps - old_apps})
    return OLD_LEAVES + [(app, None) for app in new_apps]


# --- What the database holds afterwards


def amount(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def table_summary(table: str) -> dict:
    with connection.cursor() as cursor:
        columns = {column.name for column in connection.introspection.get_table_description(cursor, table)}
        cursor.execute(sql("SELECT COUNT(*) FROM {table}", table))
        summary = {"rows": cursor.fetchone()[0]}
        if "id" in columns:
            cursor.execute(sql("SELECT id FROM {table}", table))
            summary["ids"] = sorted(row[0] for row in cursor)
        if "amount" in columns:
            cursor.execute(sql("SELECT amount FROM {table}", table))
            summary["amount"] = sum((amount(row[0]) for row in cursor if row[0] is not None), Decimal("0.00"))
    return summary


def fixture_summary(data: dict) -> dict:
    columns = data["columns"]
    summary = {"rows": len(data["rows"])}
    if "id" in columns:
        summary["ids"] = sorted(row[columns.index("id")] for row in data["rows"])
    if "amount" in columns:
        index = columns.index("amount")
        summary["amount"] = sum((amount(row[index]) for row in data["rows"] if row[index]), Decimal("0.00"))
    return summary


def column(fixture: dict, table: str, name: str) -> list:
    index = fixture[table]["columns"].index(name)
    return [row[index] for row in fixture[table]["rows"]]


def model_of_table(table: str) -> type[models.Model]:
    """The current model of a table (some models are renamed, their tables are not)."""
    return next(model for model in apps.get_models() if model._meta.db_table == table)


def assert_counters_carried_into_number_series(fixture: dict) -> None:
    try:
        number_series = apps.get_model("ocp_portal", "NumberSeries")
    except LookupError:
        # Not there yet: the counters still have their own tables, which the row checks cover.
        return
    expected = {name: max(column(fixture, table, "last")) for table, name in NUMBER_SERIES.items()}
    assert dict(number_series.objects.filter(name__in=expected).values_list("name", "last")) == expected


@pytest.mark.django_db(transaction=True)
def test_seed_demo_data_of_the_old_schema_survives_the_migrations_to_the_current_one():
    fixture = load_fixture()
    try:
        migrate(old_schema(MigrationExecutor(connection).loader.graph))
        insert(fixture)
        migrate(latest())
    finally:
        migrate(latest())  # nothing left to do, unless a step above failed: other tests need the current schema

    tables = set(connection.introspection.table_names())
    lost = [table for table in fixture if table not in tables and table not in DROPPED_TABLES]
    assert lost == [], "tables dropped without a word in DROPPED_TABLES of where their rows went"
    after = {table: table_summary(table) for table in fixture if table in tables}
    assert after == {table: fixture_summary(fixture[table]) for table in after}

    # The same money through today's models.
    payment_line = apps.get_model("poursuites", "PaymentLine")
    register = column(fixture, "poursuites_paymentline", "amount")
    assert payment_line.objects.count() == len(register) > 0
    assert payment_line.objects.aggregate(total=models.Sum("amount"))["total"] == sum(map(Decimal, register))
    penal = column(fixture, "contraventions_paiement", "amount")
    penal_line = model_of_table("contraventions_paiement")
    assert penal_line.objects.count() == len(penal) > 0
    assert penal_line.objects.aggregate(total=models.Sum("amount"))["total"] == sum(map(Decimal, penal))
    payment = apps.get_model("paiements", "Payment")
    states = column(fixture, "paiements_payment", "state")
    assert sorted(payment.objects.values_list("state", flat=True)) == sorted(states)
    assert_counters_carried_into_number_series(fixture)


if __name__ == "__main__":
    import django

    del sys.path[0]  # this folder: its test packages (poursuites, paiements...) would hide the apps

    django.setup()
    dump(sys.argv[1])
