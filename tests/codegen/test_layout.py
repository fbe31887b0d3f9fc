"""The layouts the generator writes are the ones `ruff format` (default settings) would write."""

import random

from codegen.layout import (
    Atom,
    BinOp,
    Call,
    Keyword,
    Seq,
    assignment,
    flat,
    function_header,
    return_statement,
)
from tests.codegen.ruff import ruff_format_diff


def _name(rng: random.Random, longest: int = 32) -> str:
    return rng.choice("abcxyz") + "_" * rng.randint(0, 1) + "n" * rng.randint(0, longest - 2)


def _value(rng: random.Random, depth: int = 0):
    kind = rng.random()
    if kind < 0.45 or depth > 1:
        return Atom(
            rng.choice([str(rng.randint(-5, 10 ** rng.randint(1, 6))), _name(rng), '"same"'])
        )
    if kind < 0.7:
        n = rng.choice([1, 2, 2, 3, 5, 12, 25])
        return Seq(tuple(Atom(str(rng.randint(1, 99999))) for _ in range(n)))
    if kind < 0.85:
        return Seq(tuple(_value(rng, depth + 1) for _ in range(rng.randint(1, 6))), "[]")
    return Call(f"{_name(rng, 12)}.size", (Atom("0"),))


def _call(rng: random.Random) -> Call:
    args = [_value(rng) for _ in range(rng.randint(0, 4))]
    args += [Keyword(_name(rng, 14), _value(rng)) for _ in range(rng.randint(0, 5))]
    func = rng.choice(["nn.Conv2d", "torch.cat", f"self.{_name(rng)}", f"{_name(rng, 20)}.reshape"])
    return Call(func, tuple(args))


def _statement(rng: random.Random) -> list[str]:
    kind = rng.random()
    target = rng.choice(
        [
            _name(rng),
            f"self.{_name(rng)}",
            Seq((Atom(_name(rng)), Atom(_name(rng))), ""),
            Seq((Atom(_name(rng)), Seq((Atom(_name(rng)), Atom(_name(rng))))), ""),
            "_",
        ]
    )
    comment = rng.choice(["", "[N, 6, 28, 28]", "[N, 100000, 100000, 100000, 100000, 100000]"])
    if isinstance(
        target, Seq
    ):  # recurrent layers and attention: `self.layer(x)` or `self.attn(x, x, x)`
        x = Atom(_name(rng))
        call = Call(f"self.{_name(rng)}", rng.choice([(x,), (x, x, x)]))
        return assignment(target, call, 8, comment)
    if kind < 0.6:
        return assignment(target, _call(rng), 8, comment)
    if kind < 0.75:
        n = rng.randint(2, 8)
        op = rng.choice("+*")
        return assignment(target, BinOp(op, tuple(Atom(_name(rng)) for _ in range(n))), 8, comment)
    if kind < 0.9:
        return return_statement([Atom(_name(rng)) for _ in range(rng.randint(1, 6))], 8)
    params = ["self", *(f"{_name(rng)}: torch.Tensor" for _ in range(rng.randint(1, 4)))]
    returns = rng.choice(["torch.Tensor", "tuple[torch.Tensor, ...]", "None"])
    return [*function_header("forward", params, returns, 4), "        pass"]


def test_random_statements_are_laid_out_as_ruff_formats_them(tmp_path):
    rng = random.Random(20261123)
    lines = ["class Model:", "    def method(self):"]
    for _ in range(1500):
        statement = _statement(rng)
        if statement[0].startswith("    def"):
            lines.append("")
        lines += statement
    source = "\n".join(lines) + "\n"
    assert ruff_format_diff(source, tmp_path) == ""


def test_a_call_that_does_not_fit_hugs_its_arguments_on_one_line():
    args = (Atom("128"), Atom("256"), Atom("3"), Keyword("stride", Atom("2")))
    call = Call("nn.Conv2d", args)
    assert assignment("self.a_rather_long_attribute_name_for_a_convolution", call, 8) == [
        "        self.a_rather_long_attribute_name_for_a_convolution = nn.Conv2d(",
        "            128, 256, 3, stride=2",
        "        )",
    ]


def test_a_shape_comment_that_would_force_a_break_moves_above_the_line():
    lines = assignment("x", Call("self.conv", (Atom("x"),)), 8, "[N, " + "1000, " * 14 + "1]")
    assert lines[0].lstrip().startswith("# [N, 1000")
    assert lines[1] == "        x = self.conv(x)"


def test_one_element_tuples_keep_their_comma():
    assert flat(Seq((Atom("3"),))) == "(3,)"
