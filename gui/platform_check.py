"""Before the window: are the system libraries Qt's X11 (xcb) platform plugin needs present?

Without them Qt aborts with "could not load the Qt platform plugin xcb" and a page of advice that
does not name the missing piece. This check names the libraries and the packages that bring them,
in one line, and never imports Qt (it runs before the QApplication exists).
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

from i18n import msg

# The shared libraries PySide6's libqxcb.so loads beyond libxcb itself, with the Debian/Ubuntu
# package that ships each. A fresh Debian lacks the first three; the others come with most desktops.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def can_load(soname: str) -> bool:
    """True if the dynamic linker finds `soname` (the same search Qt's plugin load makes)."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will try the xcb plugin first: on Linux unless another platform is asked for."""
    if not platform.startswith("linux"):
        return False
    asked = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if asked:
        return asked == "xcb"
    # Qt prefers Wayland in a Wayland session; elsewhere (X11, Xvfb, ssh -X) it takes xcb.
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")


def missing_xcb_libraries(loadable: Callable[[str], bool] = can_load) -> list[str]:
    """The xcb plugin's libraries that `loadable` cannot find, in XCB_LIBRARIES order."""
    return [soname for soname in XCB_LIBRARIES if not loadable(soname)]


def xcb_problem(
    environ: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    loadable: Callable[[str], bool] = can_load,
) -> str | None:
    """One line naming what is missing and the command that installs it, or None if all is there."""
    if not uses_xcb(environ, platform):
        return None
    missing = missing_xcb_libraries(loadable)
    if not missing:
        return None
    return msg(
        "netwright: cannot open a window: Qt's xcb platform plugin needs {libraries}; "
        "install them with: sudo apt-get install {packages}",
        libraries=", ".join(missing),
        packages=" ".join(XCB_LIBRARIES[soname] for soname in missing),
    )
