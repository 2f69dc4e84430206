# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every row of a paged list action, written once (instance lists, PostgreSQL backup lists).

What it relies on (docs/api-facts.md, "Paging"): ``pageNo`` has the documented minimum 0 and
``pageSize`` (1 or more) is required with it; ``totalRows`` is "for paging requests, the total
number". No page says whether pageNo 0 and 1 are the same page, or what order rows come in. So
every request asks for an explicit page, and the pages are followed until ``totalRows`` rows are
in; a page that only repeats rows already seen ends the listing rather than looping, and a
missing ``totalRows`` ends it at the first short page. ``Listing.complete`` tells the caller when
fewer rows came than ``totalRows`` said.
"""

from __future__ import annotations

FIRST_PAGE = 0          # pageNo "0 (minimum)"
PAGE_SIZE = 100         # what NCP's own Terraform provider asks its Cloud DB lists for
MAX_PAGE_SIZE = 1000    # the largest page size any of these APIs documents (backup detail lists)


class Listing:
    """Rows of one list, totalRows as answered, rows received and pages read."""

    def __init__(self, rows, total, received, pages):
        self.rows = rows
        self.total = total
        self.received = received
        self.pages = pages

    @property
    def complete(self):
        """False when the API said there are more rows (totalRows) than its pages gave."""
        return self.total is None or self.received >= self.total


def read_all(client, api_path, action, params, identity, page_size=PAGE_SIZE):
    """Every row of a paged list action (a services.ListAction): a Listing.

    identity(row) tells rows apart, so that a page repeating earlier rows is noticed.
    """
    seen = set()
    rows = []
    total = None
    page = FIRST_PAGE
    pages = 0
    while True:
        body = client.read(api_path, action.name, dict(params, pageNo=page, pageSize=page_size))
        pages += 1
        chunk = as_list(body.get(action.list_key))
        total = to_int(body.get("totalRows"))
        fresh = 0
        for row in chunk:
            key = identity(row)
            if key in seen:
                continue
            seen.add(key)
            fresh += 1
            rows.append(row)
        if not chunk or not fresh:
            break           # the end, or a page that repeats what came before: never loop
        if total is None:
            if len(chunk) < page_size:
                break       # no totalRows: a short page is the last one
        elif len(seen) >= total:
            break
        page += 1
    return Listing(rows, total, len(seen), pages)


def as_list(value):
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    return [value]


def to_int(value):
    """An integer from JSON or from XML text; None when it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
