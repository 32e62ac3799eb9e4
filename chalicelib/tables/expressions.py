"""Condition and update expressions written as PynamoDB writes them, with fewer calls.

PynamoDB serializes a condition or an update by asking each node of its tree to format itself: a
list, a `str.format` and, for each attribute name, a regular expression per node. A transaction of
eleven items builds some ninety of them. `condition_text` and `update_text` walk the same trees
with one function per kind of node and give the same text, with the same placeholders (`#0`, `:0`)
numbered in the same order, into the same name and value maps; a node of a kind not listed here
formats itself as in PynamoDB. tests/unit/test_transact_items.py compares both on every model."""
from __future__ import annotations

from pynamodb.expressions.condition import (And, BeginsWith, Between, Comparison, Contains, Exists, In, IsType, Not,
                                            NotExists, Or)
from pynamodb.expressions.operand import Path, Value, _Decrement, _IfNotExists, _Increment, _ListAppend, _Size
from pynamodb.expressions.update import AddAction, DeleteAction, RemoveAction, SetAction
from pynamodb.expressions.util import substitute_names


def condition_text(condition, names: dict, values: dict) -> str:
    """`condition.serialize(names, values)`."""
    return _text(condition, names, values)


def update_text(actions, names: dict, values: dict) -> str | None:
    """`Update(*actions).serialize(names, values)`: SET, REMOVE, ADD, DELETE clauses, in that order."""
    clauses: tuple[list, list, list, list] = ([], [], [], [])
    for action in actions:
        clauses[_clause(action)].append(action)
    written = []
    for keyword, listed in zip(_KEYWORDS, clauses):
        if listed:
            written.append(keyword + ", ".join([_text(action, names, values) for action in listed]))
    return " ".join(written) or None


_KEYWORDS = ("SET ", "REMOVE ", "ADD ", "DELETE ")
_CLAUSES = {SetAction: 0, RemoveAction: 1, AddAction: 2, DeleteAction: 3}


def _clause(action) -> int:
    clause = _CLAUSES.get(type(action))
    if clause is not None:
        return clause
    for kind, clause in _CLAUSES.items():     # a subclass, as PynamoDB's `Update` sorts it
        if isinstance(action, kind):
            return clause
    raise ValueError("unsupported action type: '{}'".format(action.__class__.__name__))


def _text(node, names: dict, values: dict) -> str:
    write = _WRITERS.get(type(node))
    return node.serialize(names, values) if write is None else write(node, names, values)


def _path(node, names: dict, values: dict) -> str:
    segments = node.values[0]
    if len(segments) == 1:
        name = segments[0]
        if name and "[" not in name and "]" not in name:
            placeholder = names.get(name)
            if placeholder is None:
                placeholder = names[name] = "#" + str(len(names))
            return placeholder
    return substitute_names(segments, names)


def _value(node, names: dict, values: dict) -> str:
    placeholder = ":" + str(len(values))
    values[placeholder] = node.values[0]
    return placeholder


def _infix(node, names: dict, values: dict) -> str:          # a = b, (a AND b)
    left = _text(node.values[0], names, values)
    return left + " " + node.operator + " " + _text(node.values[1], names, values)


def _grouped(node, names: dict, values: dict) -> str:
    return "(" + _infix(node, names, values) + ")"


def _function(node, names: dict, values: dict) -> str:       # attribute_exists (a), begins_with (a, b)
    return node.operator + " (" + ", ".join([_text(value, names, values) for value in node.values]) + ")"


def _not(node, names: dict, values: dict) -> str:
    return "(NOT " + _text(node.values[0], names, values) + ")"


def _between(node, names: dict, values: dict) -> str:
    path, lower, upper = node.values
    path = _text(path, names, values)
    lower = _text(lower, names, values)
    return path + " BETWEEN " + lower + " AND " + _text(upper, names, values)


def _in(node, names: dict, values: dict) -> str:
    path = _text(node.values[0], names, values)
    return path + " IN (" + ", ".join([_text(value, names, values) for value in node.values[1:]]) + ")"


def _operation(symbol: str):
    def write(node, names: dict, values: dict) -> str:      # a + b, a = b (a SET action)
        left = _text(node.values[0], names, values)
        return left + symbol + _text(node.values[1], names, values)
    return write


def _call(function: str):
    def write(node, names: dict, values: dict) -> str:      # if_not_exists (a, b), size (a)
        return function + " (" + ", ".join([_text(value, names, values) for value in node.values]) + ")"
    return write


def _alone(node, names: dict, values: dict) -> str:           # a REMOVE action
    return _text(node.values[0], names, values)


_WRITERS = {
    Path: _path, Value: _value,
    Comparison: _infix, And: _grouped, Or: _grouped, Not: _not, Between: _between, In: _in,
    Exists: _function, NotExists: _function, IsType: _function, BeginsWith: _function, Contains: _function,
    _Increment: _operation(" + "), _Decrement: _operation(" - "), _IfNotExists: _call("if_not_exists"),
    _ListAppend: _call("list_append"), _Size: _call("size"),
    SetAction: _operation(" = "), RemoveAction: _alone, AddAction: _operation(" "), DeleteAction: _operation(" "),
}
