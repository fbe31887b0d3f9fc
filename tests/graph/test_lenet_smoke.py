"""The classic LeNet mistake (in_features=576 after 5×5 convolutions) is named where it is."""

from pathlib import Path

from graph import load_project

BROKEN = Path(__file__).resolve().parents[2] / "examples" / "broken" / "lenet_mismatch.json"


def test_lenet_mismatch_names_both_numbers_and_their_origin(tmp_path):
    project = load_project(BROKEN)
    report = project.validate()
    (error,) = report.errors
    assert error.node == "fc1"
    assert error.message == (
        "Linear 'fc1' expects 576 input features (in_features=576) but receives "
        "400 = 16×5×5 from 'pool2'"
    )


def test_unpinning_in_features_infers_it():
    project = load_project(BROKEN)
    project.set_param("fc1", "in_features", 400)
    report = project.validate()
    assert report.valid
    assert report.nodes["fc1"].resolved["in_features"] == 400
