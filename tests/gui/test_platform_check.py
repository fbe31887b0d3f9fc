"""Before the window opens, missing xcb libraries are named in one line with the install command."""

from __future__ import annotations

from pathlib import Path

from gui.app import run_app
from gui.platform_check import XCB_LIBRARIES, can_load, missing_xcb_libraries, uses_xcb, xcb_problem

FRESH_DEBIAN_LACKS = {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
X11 = {"DISPLAY": ":0"}


def fresh_debian(soname: str) -> bool:
    return soname not in FRESH_DEBIAN_LACKS


def test_the_three_libraries_a_fresh_debian_lacks_are_named_with_their_apt_packages():
    line = xcb_problem(X11, "linux", fresh_debian)
    assert line is not None and "\n" not in line
    for soname in FRESH_DEBIAN_LACKS:
        assert soname in line
    assert line.endswith(
        "install them with: sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"
    )


def test_nothing_is_said_when_every_library_loads():
    assert xcb_problem(X11, "linux", lambda soname: True) is None
    assert missing_xcb_libraries(lambda soname: True) == []


def test_other_platforms_are_not_checked():
    refuse_all = lambda soname: False  # noqa: E731
    assert xcb_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", refuse_all) is None
    assert xcb_problem({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", refuse_all) is None
    assert xcb_problem({}, "darwin", refuse_all) is None
    wayland_session = {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    assert not uses_xcb(wayland_session, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb:nograb"}, "linux")


def test_the_real_lookup_asks_the_dynamic_linker():
    assert can_load("libc.so.6")
    assert not can_load("libnetwright-no-such-library.so.7")


def test_the_readme_lists_every_package_the_check_can_ask_for():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for package in XCB_LIBRARIES.values():
        assert package in readme


def test_run_app_stops_before_qt_with_one_line_and_exit_code_1(capsys, tmp_path):
    def problem() -> str | None:
        return xcb_problem({"QT_QPA_PLATFORM": "xcb"}, "linux", fresh_debian)

    assert run_app(None, tmp_path / "none.json", platform_problem=problem) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith("netwright: cannot open a window:")
    assert "libxcb-cursor0" in line


def test_the_missing_libraries_line_is_in_the_chosen_language(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("i18n._current", "zh_CN")

    def problem() -> str | None:
        return xcb_problem({"QT_QPA_PLATFORM": "xcb"}, "linux", fresh_debian)

    assert run_app(None, tmp_path / "none.json", platform_problem=problem) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("netwright：无法打开窗口：") and "sudo apt-get install" in line
    assert "cannot open" not in line
