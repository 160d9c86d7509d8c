"""Paging the registers' admin lists without counting a million rows on every page."""

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

# Past this many rows a list says « 10 000 » and pages up to there: a clerk searches or filters.
COUNT_CAP = 10_000


class LargeTablePaginator(Paginator):
    """An unfiltered list takes PostgreSQL's row estimate (pg_class.reltuples) instead of a COUNT(*)
    over the whole table; a filtered one is counted up to COUNT_CAP."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not queryset.query.where and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] > COUNT_CAP:
                return min(row[0], COUNT_CAP)
        return queryset[:COUNT_CAP].count()


class LargeTableAdminMixin:
    """For the lists of the register (poursuites, parties, ADB, penal orders)."""

    paginator = LargeTablePaginator
    show_full_result_count = False  # no second COUNT(*) of the whole table beside a filtered one
