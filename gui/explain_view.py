""" "Why this shape?" and what a node costs, in the inspector; the network's cost in the status bar.

The formulas and numbers come from graph/arithmetic.py and graph/cost.py; this only shows them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from graph import Project, Report
from graph.arithmetic import explain
from graph.cost import deep_cost, format_bytes, format_macs, totals

translate = QCoreApplication.translate


def formula_text(project: Project, report: Report, node_id: str) -> str:
    """The node's formulas, one per line ("" while its shapes are unknown)."""
    nr = report.nodes.get(node_id)
    if nr is None:
        return ""
    spec = project.spec(project.node(node_id).type)
    return "\n".join(f.text for f in explain(spec, nr))


class ExplainBox(QWidget):
    """The inspector's "Why this shape?" and "Cost" sections for one node."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explainBox")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.why_title = QLabel(translate("Explain", "Why this shape?"))
        self.why_title.setObjectName("muted")
        self.formulas = QLabel()
        self.formulas.setObjectName("formulas")
        self.formulas.setWordWrap(True)
        self.formulas.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cost_title = QLabel(translate("Explain", "Cost for one sample"))
        self.cost_title.setObjectName("muted")
        self.cost = QLabel()
        self.cost.setObjectName("nodeCost")
        self.cost.setWordWrap(True)
        for widget in (self.why_title, self.formulas, self.cost_title, self.cost):
            layout.addWidget(widget)

    def show_node(self, project: Project, report: Report, node_id: str) -> None:
        text = formula_text(project, report, node_id)
        self.formulas.setText(text)
        self.why_title.setVisible(bool(text))
        self.formulas.setVisible(bool(text))
        nr = report.nodes.get(node_id)
        cost = deep_cost(project, project.node(node_id), nr)
        if cost is None:
            self.cost_title.hide()
            self.cost.hide()
            return
        self.cost.setText(
            translate("Explain", "{macs} MACs · output {activations} · parameters {weights}")
            .replace("{macs}", format_macs(cost.macs))
            .replace("{activations}", format_bytes(cost.activation_bytes))
            .replace("{weights}", format_bytes(cost.parameter_bytes))
        )
        self.cost_title.show()
        self.cost.show()


class CostLabel(QLabel):
    """The status bar's total: MACs and activation memory per sample; training memory on hover."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totalCost")

    def show_totals(self, project: Project, report: Report) -> None:
        total = totals(project, report)
        self.setText(
            translate("Explain", "{macs} MACs · {activations} per sample")
            .replace("{macs}", format_macs(total.macs))
            .replace("{activations}", format_bytes(total.activation_bytes))
        )
        training = project.training
        batch, optimizer = training.get("batch_size"), training.get("optimizer")
        if isinstance(batch, int) and batch > 0 and isinstance(optimizer, str):
            estimate = total.training_bytes(batch, optimizer.lower(), training.get("momentum", 0.9))
            self.setToolTip(
                translate(
                    "Explain",
                    "Training memory for a batch of {batch} with {optimizer}: about {size}",
                )
                .replace("{batch}", str(batch))
                .replace("{optimizer}", optimizer)
                .replace("{size}", format_bytes(estimate))
            )
        else:
            self.setToolTip("")
