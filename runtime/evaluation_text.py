"""An evaluation report (runtime.evaluation) as the lines `train` prints after a run."""

from __future__ import annotations

from typing import Any

from i18n import join, msg

MISTAKES_PRINTED = 5


def evaluation_lines(report: dict[str, Any], where: str) -> list[str]:
    """A few lines: the headline figures, a per-class table, the worst mistakes, the file."""
    if report.get("task") == "classification":
        lines = _classification_lines(report)
    else:
        lines = _regression_lines(report)
    lines.append(msg("evaluation saved in {path}", path=where))
    return lines


def _classification_lines(report: dict[str, Any]) -> list[str]:
    top = report.get("top_k", {})
    tops = ", ".join(f"top-{k} {v:.3f}" for k, v in top.items() if k != "1")
    lines = [
        msg(
            "evaluation on {count} validation samples: accuracy {accuracy:.3f}{tops}",
            count=report["samples"],
            accuracy=report["accuracy"] or 0.0,
            tops=f", {tops}" if tops else "",
        ),
        msg("  class        precision  recall  f1     support"),
    ]
    for row in report["classes"]:
        lines.append(
            f"  {row['name'][:12]:<12} {row['precision']:>9.3f}  {row['recall']:>6.3f}  "
            f"{row['f1']:>5.3f}  {row['support']:>7d}"
        )
    mistakes = report.get("misclassified") or []
    if mistakes:
        shown = join(
            "; ",
            [
                msg(
                    "#{index} {true} as {predicted} ({confidence:.0%})",
                    index=m["index"],
                    true=m["true_name"],
                    predicted=m["predicted_name"],
                    confidence=m["confidence"],
                )
                for m in mistakes[:MISTAKES_PRINTED]
            ],
        )
        lines.append(msg("most confident mistakes: {mistakes}", mistakes=shown))
    return lines


def _regression_lines(report: dict[str, Any]) -> list[str]:
    residuals = report["residuals"]
    r2 = report.get("r2")
    return [
        msg(
            "evaluation on {count} validation samples: rmse {rmse:.4g}, mae {mae:.4g}, r2 {r2}",
            count=report["samples"],
            rmse=report["rmse"] or 0.0,
            mae=report["mae"] or 0.0,
            r2="—" if r2 is None else f"{r2:.3f}",
        ),
        msg(
            "residuals: mean {mean:.4g}, std {std:.4g}, largest {largest:.4g}",
            mean=residuals["mean"] or 0.0,
            std=residuals["std"] or 0.0,
            largest=residuals["max_abs"] or 0.0,
        ),
    ]
