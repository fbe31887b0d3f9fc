"""Fixes for a problem inside a block, seen from one instance of it.

The block's drawing alone has no shapes (its Inputs take them from the wire into an instance),
so candidates are worked out from the instance's own run of the block, and each is tried on a
copy of the whole project: it is offered only if the problem is gone from that instance's run
and no error appears anywhere. The edits are made in the block's definition, so every instance
follows, as when the user edits the opened block by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.fix_finder import MAX_FIXES, _candidates, first_working, fixes_for, problem_key
from graph.fixes import Fix, InBlock, Step, clone
from graph.instances import opened_run, unlocated
from graph.project import Project
from graph.report import Problem, Report


def fixes_inside(
    project: Project, path: Sequence[str], problem: Problem, limit: int = MAX_FIXES
) -> list[Fix]:
    """Up to `limit` fixes for `problem`, a problem of a node in the block opened through `path`."""
    top = project.validate()
    opened = opened_run(project, top, path)
    if opened is None:
        return []
    drawing, report, name = opened

    def report_after(steps: tuple[Step, ...]) -> Report | None:
        trial = clone(project)
        for step in steps:
            InBlock(name, step).apply(trial)
        found = opened_run(trial, trial.validate(), path)
        return found[1] if found is not None else None

    before = {problem_key(p) for p in top.errors}
    key = problem_key(problem)

    def works(inside: Fix) -> bool:
        trial = clone(project)
        try:
            inside.apply(trial)
        except Exception:  # a candidate that does not even apply is simply not offered
            return False
        after = trial.validate()
        opened_after = opened_run(trial, after, path)
        if opened_after is None or any(problem_key(p) == key for p in opened_after[1].problems):
            return False
        return all(problem_key(p) in before for p in after.errors)

    candidates = (
        Fix(fix.title, tuple(InBlock(name, step) for step in fix.steps))
        for fix in _candidates(drawing, report, problem, try_on=report_after)
    )
    return first_working(candidates, works, limit)


def locate_inside(project: Project, problem: Problem) -> tuple[list[str], Problem] | None:
    """For a problem passed up from inside a block (it has a `path`), the instances down to the
    drawing it is in (ids, from the top level) and the problem as that drawing's run reports it;
    None for a problem of the top level's own nodes (or one found only in a later copy of a
    repeat)."""
    report = project.validate()
    path: list[str] = []
    current = problem
    while current.path is not None and current.node is not None:
        node_report = report.nodes.get(current.node)
        runs = node_report.runs if node_report is not None else []
        if not runs or not hasattr(runs[0], "report"):
            return None
        report = runs[0].report
        sentence = str(unlocated(current))
        inner = next(
            (
                p
                for p in report.problems
                if p.code == current.code
                and current.path.endswith("." + str(p.path or p.node))
                and str(unlocated(p)) == sentence
            ),
            None,
        )
        if inner is None:
            return None
        path.append(current.node)
        current = inner
    return (path, current) if path else None


def fixes_anywhere(project: Project, problem: Problem, limit: int = MAX_FIXES) -> list[Fix]:
    """The fixes of any problem of the report: of the top level's nodes, or inside a block."""
    located = locate_inside(project, problem) if problem.path is not None else None
    if located is not None:
        return fixes_inside(project, located[0], located[1], limit)
    return fixes_for(project, problem, limit)
