"""Reads a hot path makes on every request, built and compiled by the ORM once per database.

Django builds a queryset and compiles it to SQL each time it is evaluated; for the small reads a
checkout makes on every request (the paying account, a gift card by its code, a core account,
the order's lines) that cost more than running them (1-4 ms of Python against a 0.5 ms query).
`CompiledQuery` builds the queryset once per database with stand-in values where each call's
values go, keeps the SQL Django made, and runs it with the call's values in the stand-ins'
places, as `Model.objects.raw()`: the same rows, as model instances, annotations as attributes.
`CompiledCondition` does the same for a queryset's WHERE clause alone, for a caller that puts it
into a statement of its own (the ledger's conditional UPDATEs).

The queryset stays the one source of the rule: it is written as any other, and the compiled SQL
is Django's own. A stand-in the ORM did not pass through as a parameter of its own (folded into
the SQL text, or transformed, as `__iexact` or `__startswith` do) is refused when compiled, as is
a queryset `raw()` cannot give back as it would (`select_related`, `values()`).
"""
from datetime import UTC, datetime
from itertools import count

from django.db import connections, router

__all__ = ["CompiledCondition", "CompiledQuery"]

#: What each kind of value gets as its stand-in: no user, account, order or moment has these.
_FIRST_INT = -7_310_915_100
_EPOCH = datetime(1970, 1, 2, 3, 4, 5, tzinfo=UTC)


class _Compiled:
    def __init__(self, build, **kinds):
        """`build(**stand_ins)` returns the queryset; `kinds` names each of its arguments' type
        (int, str or datetime)."""
        unknown = {name: kind for name, kind in kinds.items() if kind not in (int, str, datetime)}
        if unknown:
            raise TypeError(f"Stand-ins come for int, str and datetime values only, not {unknown}.")
        numbers = count()
        self._build = build
        self._stand_ins = {name: _stand_in(kind, next(numbers)) for name, kind in kinds.items()}
        self._kinds = kinds
        self._compiled = {}  # database alias -> (sql, params, {param index: argument name})

    def _statement(self, using: str, values: dict) -> tuple[str, list]:
        if values.keys() != self._kinds.keys():
            raise TypeError(f"Give exactly {sorted(self._kinds)}, not {sorted(values)}.")
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        sql, params, slots = compiled
        connection = connections[using]
        params = list(params)
        for index, name in slots.items():
            params[index] = _adapt(values[name], self._kinds[name], connection)
        return sql, params

    def _compile(self, using: str):
        connection = connections[using]
        queryset = self._build(**self._stand_ins)
        sql, params = self._sql(queryset, using)
        adapted = {_adapt(value, self._kinds[name], connection): name for name, value in self._stand_ins.items()}
        slots = {index: adapted[param] for index, param in enumerate(params) if _hashable(param) and param in adapted}
        missing = set(self._stand_ins) - set(slots.values())
        if missing or any(str(value) in sql for value in adapted):
            raise ValueError(f"The ORM did not keep {sorted(missing) or 'a stand-in'} as a parameter of its own:"
                             " this queryset cannot be compiled once.")
        return sql, tuple(params), slots


class CompiledQuery(_Compiled):
    """A queryset compiled once per database; `all()` and `first()` run it with this call's
    values and give model instances, as the queryset would."""

    def all(self, *, using: str | None = None, **values) -> list:
        model = self._model()
        using = using or router.db_for_read(model)
        sql, params = self._statement(using, values)
        return list(model._default_manager.db_manager(using).raw(sql, params))

    def first(self, *, using: str | None = None, **values):
        rows = self.all(using=using, **values)
        return rows[0] if rows else None

    def _model(self):
        if not hasattr(self, "_model_class"):
            self._model_class = self._build(**self._stand_ins).model
        return self._model_class

    def _sql(self, queryset, using):
        query = queryset.query
        if query.select_related or query.values_select or queryset._fields is not None:
            raise ValueError("raw() gives model instances of one model: no select_related() or values().")
        return query.get_compiler(using=using).as_sql()


class CompiledCondition(_Compiled):
    """The WHERE clause of a queryset over one table, compiled once per database: `sql()` gives
    it with this call's values, for a statement the caller writes (column names are qualified
    with the table's name)."""

    def sql(self, *, using: str = "default", **values) -> tuple[str, list]:
        return self._statement(using, values)

    def _sql(self, queryset, using):
        query = queryset.query
        return query.where.as_sql(query.get_compiler(using=using), connections[using])


def _stand_in(kind, number: int):
    if kind is int:
        return _FIRST_INT - number
    if kind is str:
        return f"\x1f%_\\stand-in {number}\x1f"  # what LIKE escaping would change: caught if escaped
    return _EPOCH.replace(microsecond=number + 1)


def _adapt(value, kind, connection):
    """The value as the compiled SQL's parameters hold it (Django adapts moments per database)."""
    if kind is datetime:
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _hashable(value) -> bool:
    return isinstance(value, (int, str, datetime)) and not isinstance(value, bool)
