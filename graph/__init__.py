"""The model of a network drawing: projects, the layer library, shape inference and validation.

Pure Python plus networkx: no Qt, and no torch at import time.
"""

from graph.fileio import (
    ProjectFileError,
    load_project,
    project_from_dict,
    project_from_json,
    project_to_dict,
    project_to_json,
    save_project,
)
from graph.model_types import UNSET, Edge, Node
from graph.project import Project, ProjectError
from graph.report import NodeReport, Problem, Report
from graph.spec import LayerSpec, ShapeError, all_specs, get_spec, layer_types
from graph.tensor import TensorType, format_shape

__all__ = [
    "UNSET",
    "Edge",
    "LayerSpec",
    "Node",
    "NodeReport",
    "Problem",
    "Project",
    "ProjectError",
    "ProjectFileError",
    "Report",
    "ShapeError",
    "TensorType",
    "all_specs",
    "format_shape",
    "get_spec",
    "layer_types",
    "load_project",
    "project_from_dict",
    "project_from_json",
    "project_to_dict",
    "project_to_json",
    "save_project",
]
