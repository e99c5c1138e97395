"""What every page's layout shows besides the clinic's details, such as the footer's
list of locations: rows that apps add, read in the page cache's content snapshot.

The snapshot (spinesite.contentsnapshot) is the one query a page costs before its view runs:
the content version and the clinic's details. Rows added here come in that same query,
so the layout costs no query of its own on any page, and they are read again whenever
content changes, like the rest of the snapshot.
"""

_rows = {}


def add(name, rows):
    """Read `rows()` with the content snapshot, as `layout.<name>` in every template.

    `rows` returns a queryset whose `.values()` has one JSON column called `item`
    (e.g. `.values(item=JSONObject(...))`). Its tables must be content tables
    (spinesite.triggers), so that a change shows at once. Call from AppConfig.ready().
    """
    _rows[name] = rows


def names():
    return list(_rows)


def columns():
    """The snapshot's extra columns, one JSON array per name, and their parameters."""
    sql, params = "", []
    for rows in _rows.values():
        query, query_params = rows().query.sql_with_params()
        # The ORM compiled `query` and keeps its parameters apart: nothing is pasted in.
        sql += f""", (SELECT COALESCE(json_agg(r."item"), '[]') FROM ({query}) AS r)"""  # noqa: S608
        params.extend(query_params)
    return sql, params
