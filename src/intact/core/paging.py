"""One page of a long list, sliced in SQL: the rows, the total count and what page links need.

Used by the staff lists that grow with the data (cases, the reporting inbox):
``slice_page`` runs LIMIT/OFFSET on a queryset and counts only when it must
(the last page knows its own count), ``Page`` carries the rows the caller
built from them and what the page links need.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def slice_page(qs: QuerySet, page: Any, per_page: int) -> tuple[list[Any], int, int]:
    """``(objects, count, number)`` of page ``page`` of ``qs`` (1-based).

    A page number that is not a number gives page 1; one beyond the end gives
    the last page. On a page that is not full the count needs no query.
    """
    try:
        number = min(max(int(page), 1), 10**9)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    objects = list(qs[offset : offset + per_page])
    if (objects and len(objects) < per_page) or (not objects and number == 1):
        return objects, offset + len(objects), number
    count = qs.count()
    last = max(1, -(-count // per_page))
    if number > last:
        number = last
        offset = (number - 1) * per_page
        objects = list(qs[offset : offset + per_page])
    return objects, count, number


class Page:
    """One page of a list: rows, the total count and what navigation needs."""

    def __init__(self, rows: list[Any], count: int, number: int, per_page: int) -> None:
        self.rows = rows
        self.count = count
        self.number = number
        self.per_page = per_page
        self.num_pages = max(1, -(-count // per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return min(self.count, self.number * self.per_page)

    def page_range(self) -> list[int | None]:
        """Page numbers to link to: first, last and two around the current one (None: a gap)."""
        wanted = {1, self.num_pages} | set(range(self.number - 2, self.number + 3))
        out: list[int | None] = []
        for n in sorted(n for n in wanted if 1 <= n <= self.num_pages):
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out
