"""The parameter schema of a layer: types, defaults and bounds, and the checks that enforce them."""

from __future__ import annotations

import keyword
import math
from dataclasses import dataclass
from typing import Any, Literal

from i18n import msg

ParamKind = Literal[
    "int",  # an integer
    "float",  # a real number (integers accepted)
    "bool",
    "enum",  # one of `choices`
    "ints",  # a list of integers of any length
    "int_or_tuple",  # an integer, or a list of `arity` integers (kernel_size, stride, ...)
    "float_or_tuple",  # a number, or a list of `arity` numbers (Upsample's scale_factor)
    # arity 0 means a list of any length (LayerNorm's normalized_shape, Upsample's size)
    "text",  # a string of any length (a Code node's Python source)
    "args",  # keyword arguments: an object of names to numbers, booleans, strings or lists
]


class ParamTypeError(ValueError):
    """A parameter value has the wrong type (a string where a number belongs, ...)."""


class ParamBoundsError(ValueError):
    """A parameter value has the right type but an impossible value."""


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """One constructor argument of a layer, as torch names it.

    `inferred` arguments follow from the incoming shape (`in_features`, `in_channels`, ...): they
    may be left out of a file and are then worked out; if given they are checked.
    `words` are strings accepted besides numbers (Conv's padding="same").
    """

    name: str
    kind: ParamKind
    default: Any = None
    doc: str = ""
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    optional: bool = False  # None is a valid value
    choices: tuple[str, ...] = ()
    arity: int = 1
    words: tuple[str, ...] = ()
    inferred: bool = False
    required: bool = False  # no default: the user must give it (Linear's out_features)
    item_optional: bool = False  # items of a tuple may be None (adaptive pools' output_size)

    def check(self, value: Any) -> Any:
        """The value normalised (lists become tuples); ParamTypeError or ParamBoundsError if bad."""
        if value is None:
            if self.optional or (self.inferred and not self.required):
                return None
            raise ParamTypeError(msg("{name} must be set", name=self.name))
        kind = self.kind
        if kind == "bool":
            if not isinstance(value, bool):
                raise ParamTypeError(
                    msg("{name} must be true or false, not {value!r}", name=self.name, value=value)
                )
            return value
        if kind == "enum":
            if not isinstance(value, str) or value not in self.choices:
                options = ", ".join(repr(c) for c in self.choices)
                raise ParamTypeError(
                    msg(
                        "{name} must be one of {options}, not {value!r}",
                        name=self.name,
                        options=options,
                        value=value,
                    )
                )
            return value
        if kind == "text":
            if not isinstance(value, str):
                raise ParamTypeError(msg("{name} must be text", name=self.name))
            return value
        if kind == "args":
            return _check_args(self.name, value)
        if kind == "int":
            return self._check_number(_as_int(self.name, value))
        if kind == "float":
            return self._check_number(_as_float(self.name, value))
        if kind == "ints":
            if not isinstance(value, list | tuple):
                raise ParamTypeError(
                    msg(
                        "{name} must be a list of whole numbers, not {value!r}",
                        name=self.name,
                        value=value,
                    )
                )
            return tuple(self._check_number(_as_int(self.name, v)) for v in value)
        if kind in ("int_or_tuple", "float_or_tuple"):
            if isinstance(value, str):
                if value in self.words:
                    return value
                raise ParamTypeError(
                    msg("{name} must be a number, not {value!r}", name=self.name, value=value)
                )
            convert = _as_int if kind == "int_or_tuple" else _as_float
            if isinstance(value, list | tuple):
                if self.arity == 0 and not value:
                    raise ParamTypeError(
                        msg("{name} must be one number or a list of numbers", name=self.name)
                    )
                if self.arity and len(value) != self.arity:
                    raise ParamTypeError(
                        msg(
                            "{name} must be one number or {arity} numbers, not {count} numbers",
                            name=self.name,
                            arity=self.arity,
                            count=len(value),
                        )
                    )
                items = []
                for v in value:
                    if v is None and self.item_optional:
                        items.append(None)
                    else:
                        items.append(self._check_number(convert(self.name, v)))
                return tuple(items)
            return self._check_number(convert(self.name, value))
        raise AssertionError(f"unknown parameter kind {kind}")

    def _check_number(self, number: float) -> Any:
        lo, hi = self.minimum, self.maximum
        if lo is not None and (number < lo or (self.exclusive_minimum and number == lo)):
            relation = msg("greater than") if self.exclusive_minimum else msg("at least")
            raise ParamBoundsError(
                msg(
                    "{name} must be {relation} {lo}, not {number}",
                    name=self.name,
                    relation=relation,
                    lo=_num(lo),
                    number=_num(number),
                )
            )
        if hi is not None and number > hi:
            raise ParamBoundsError(
                msg(
                    "{name} must be at most {hi}, not {number}",
                    name=self.name,
                    hi=_num(hi),
                    number=_num(number),
                )
            )
        return number

    def describe_type(self) -> str:
        """A short human name for the type, for docs and tooltips."""
        return {
            "int": "int",
            "float": "float",
            "bool": "bool",
            "enum": " | ".join(self.choices),
            "ints": "list of int",
            "int_or_tuple": f"int or {_count_of(self.arity, 'int')}",
            "float_or_tuple": f"float or {_count_of(self.arity, 'float')}",
            "text": "text",
            "args": "keyword arguments",
        }[self.kind]


def _check_args(name: str, value: Any) -> dict[str, Any]:
    """Keyword arguments for a constructor: identifier names, plain JSON values (no objects)."""
    if not isinstance(value, dict):
        raise ParamTypeError(
            msg("{name} must be an object of argument names and values", name=name)
        )
    for key, item in value.items():
        if not isinstance(key, str) or not key.isidentifier() or keyword.iskeyword(key):
            raise ParamTypeError(
                msg("{name}: {key!r} is not a Python argument name", name=name, key=key)
            )
        if not _is_plain(item):
            raise ParamTypeError(
                msg(
                    "{name}: {key} must be a number, true/false, text, null or a list of those",
                    name=name,
                    key=key,
                )
            )
    return dict(value)


def _is_plain(value: Any, depth: int = 0) -> bool:
    if value is None or isinstance(value, bool | int | str):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list | tuple) and depth < 4:
        return all(_is_plain(v, depth + 1) for v in value)
    return False


def _count_of(arity: int, word: str) -> str:
    """`2 ints`, `[int]` for one, `list of ints` for any number."""
    return f"list of {word}s" if arity == 0 else f"[{word}]" if arity == 1 else f"{arity} {word}s"


def _as_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamTypeError(
            msg("{name} must be a whole number, not {value!r}", name=name, value=value)
        )
    if isinstance(value, float):
        if not value.is_integer():
            raise ParamTypeError(
                msg("{name} must be a whole number, not {value!r}", name=name, value=value)
            )
        return int(value)
    return value


def _as_float(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamTypeError(msg("{name} must be a number, not {value!r}", name=name, value=value))
    try:
        number = float(value)
    except OverflowError:  # an int beyond any float (a 401-digit number): torch cannot take it
        raise ParamBoundsError(
            msg(
                "{name} must be a number torch can hold (within ±{limit}), not a "
                "{digits}-digit integer",
                name=name,
                limit="1.8e308",
                digits=int(value.bit_length() * math.log10(2)) + 1,
            )
        ) from None
    if not math.isfinite(number):
        raise ParamBoundsError(
            msg("{name} must be a finite number, not {value!r}", name=name, value=value)
        )
    return number


def _num(x: float) -> str:
    if isinstance(x, int):
        digits = str(abs(x))
        if len(digits) <= 20:
            return str(x)
        # A 401-digit number is shown as 1.23e400: no float can hold it, and no line should.
        return f"{'-' if x < 0 else ''}{digits[0]}.{digits[1:3]}e{len(digits) - 1}"
    return str(int(x)) if x.is_integer() else repr(x)


def as_tuple(value: Any, n: int) -> tuple:
    """kernel_size=3 means (3, 3) for a 2-d layer."""
    if isinstance(value, tuple | list):
        return tuple(value)
    return (value,) * n
