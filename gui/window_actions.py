"""The main window's menus and their actions with the usual shortcuts.

Actions live on one object (`window.act.undo`, `window.act.save`, ...) so menus, toolbars and tests
reach the same QAction.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

import i18n

if TYPE_CHECKING:
    from gui.main_window import MainWindow

Key = QKeySequence.StandardKey
translate = QCoreApplication.translate


class WindowActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        w = window
        files = w.files
        stack = w.document.undo_stack

        # File
        self.new = self._action(translate("Menu", "&New"), files.new, Key.New)
        self.open = self._action(translate("Menu", "&Open…"), files.open, Key.Open)
        self.save = self._action(translate("Menu", "&Save"), files.save, Key.Save)
        self.save_as = self._action(
            translate("Menu", "Save &As…"), files.save_as, Key.SaveAs, "Ctrl+Shift+S"
        )
        self.import_model = self._action(
            translate("Menu", "&Import PyTorch Model…"), files.import_model, None, "Ctrl+I"
        )
        self.export_code = self._action(
            translate("Menu", "Export PyTorch &Code…"), files.export_code, None, "Ctrl+E"
        )
        self.export_train = self._action(
            translate("Menu", "Export &Training Script…"),
            files.export_train_script,
            None,
            "Ctrl+Shift+E",
        )
        self.export_cluster = self._action(
            translate("Menu", "Export C&luster Job…"), files.export_cluster_job
        )
        self.export_onnx = self._action(
            translate("Menu", "Export &ONNX…"), lambda: files.export_format("onnx")
        )
        self.export_torchscript = self._action(
            translate("Menu", "Export Torch&Script…"), lambda: files.export_format("torchscript")
        )
        self.export_program = self._action(
            translate("Menu", "Export torch.export &Program…"),
            lambda: files.export_format("program"),
        )
        self.quit = self._action(translate("Menu", "&Quit"), w.close, Key.Quit, "Ctrl+Q")

        # Edit: undo/redo come from the stack so their text names the step ("Undo Add Linear").
        self.undo = stack.createUndoAction(w, translate("Menu", "&Undo"))
        self.undo.setShortcuts(QKeySequence.keyBindings(Key.Undo))
        self.redo = stack.createRedoAction(w, translate("Menu", "&Redo"))
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.cut = self._action(
            translate("Menu", "Cu&t"), lambda: w.canvas.cut_selection(), Key.Cut
        )
        self.copy = self._action(
            translate("Menu", "&Copy"), lambda: w.canvas.copy_selection(), Key.Copy
        )
        self.paste = self._action(translate("Menu", "&Paste"), lambda: w.canvas.paste(), Key.Paste)
        self.duplicate = self._action(
            translate("Menu", "&Duplicate"), lambda: w.canvas.duplicate_selection(), None, "Ctrl+D"
        )
        self.delete = self._action(
            translate("Menu", "&Delete"), lambda: w.canvas.delete_selection(), Key.Delete, "Del"
        )
        self.freeze = self._action(
            translate("Menu", "&Freeze / Unfreeze"),
            lambda: w.canvas.toggle_freeze_selection(),
            None,
            "Ctrl+Shift+F",
        )
        self.rename = self._action(translate("Menu", "&Rename…"), w.rename_selected, None, "F2")
        self.group = self._action(
            translate("Menu", "&Group into Block"), w.group_selected, None, "Ctrl+G"
        )
        self.ungroup = self._action(
            translate("Menu", "U&ngroup"), w.ungroup_selected, None, "Ctrl+Shift+G"
        )
        self.select_all = self._action(
            translate("Menu", "Select &All"), w.select_all, Key.SelectAll, "Ctrl+A"
        )
        self.find_layer = self._action(
            translate("Menu", "&Find Layer…"), w.palette.focus_search, Key.Find, "Ctrl+F"
        )

        # View
        # F alone is the canvas's own key (a window-wide F would steal typing from lists), so
        # the menu only names it: text after a tab shows in the shortcut column.
        self.fit = self._action(
            translate("Menu", "&Fit to Window\tF"), lambda: w.canvas.fit_to_view()
        )
        self.auto_layout = self._action(
            translate("Menu", "Auto &Layout"), lambda: w.canvas.auto_layout(), None, "Ctrl+Shift+L"
        )
        self.zoom_in = self._action(
            translate("Menu", "Zoom &In"), lambda: w.zoom_by(1.25), Key.ZoomIn, "Ctrl++"
        )
        self.zoom_out = self._action(
            translate("Menu", "Zoom &Out"), lambda: w.zoom_by(0.8), Key.ZoomOut, "Ctrl+-"
        )
        self.zoom_reset = self._action(
            translate("Menu", "&Actual Size"), lambda: w.canvas.set_zoom(100), None, "Ctrl+0"
        )
        themes = QActionGroup(w)
        self.theme_light = self._action(translate("Menu", "&Light"), lambda: w.set_theme("light"))
        self.theme_dark = self._action(translate("Menu", "&Dark"), lambda: w.set_theme("dark"))
        for action in (self.theme_light, self.theme_dark):
            action.setCheckable(True)
            themes.addAction(action)
        (self.theme_dark if w.settings.theme == "dark" else self.theme_light).setChecked(True)

        # Each language is named in itself: a person who cannot read the current one finds theirs.
        languages = QActionGroup(w)
        self.languages: dict[str, QAction] = {}
        for code, name in i18n.LANGUAGES.items():
            action = self._action(name, lambda c=code: w.set_language(c))
            action.setCheckable(True)
            action.setChecked(code == i18n.language())
            languages.addAction(action)
            self.languages[code] = action

        self.show_training = self._action(
            translate("Menu", "&Training Panel"), w.show_training_panel, None, "Ctrl+Shift+T"
        )
        self.start_training = self._action(
            translate("Menu", "&Start Training"), w.start_training, None, "Ctrl+R"
        )
        self.start_weights = self._action(
            translate("Menu", "Start from &Weights…"), w.choose_start_weights
        )
        self.run_processes = self._action(
            translate("Menu", "Run on &N Processes…"), w.start_training_on_processes
        )
        self.resume_run = self._action(translate("Menu", "Res&ume Run…"), w.resume_run)
        self.find_lr = self._action(translate("Menu", "Find &Learning Rate…"), w.find_learning_rate)
        self.sample_view = self._action(
            translate("Menu", "Sample Through the &Network"), w.show_sample_view
        )

        self.about = self._action(translate("Menu", "&About Netwright"), w.show_about)

        # Canvas edits answer their keys only while the canvas has focus: Delete in the problems
        # list or Ctrl+A in the code view must not reach the drawing. The menu works anywhere.
        for action in (
            self.cut,
            self.copy,
            self.paste,
            self.duplicate,
            self.delete,
            self.rename,
            self.group,
            self.ungroup,
            self.select_all,
        ):
            window.removeAction(action)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            window.canvas.addAction(action)

        self.editing = [
            self.cut,
            self.paste,
            self.duplicate,
            self.delete,
            self.rename,
            self.group,
            self.ungroup,
            self.auto_layout,
        ]
        self.needs_selection = [self.cut, self.copy, self.duplicate, self.delete, self.rename]
        self._build_menus()

    def _action(
        self,
        text: str,
        slot: object,
        standard: QKeySequence.StandardKey | None = None,
        fallback: str | None = None,
    ) -> QAction:
        action = QAction(text, self.window)
        keys = QKeySequence.keyBindings(standard) if standard is not None else []
        if not keys and fallback:
            keys = [QKeySequence(fallback)]
        if keys:
            action.setShortcuts(keys)
        action.triggered.connect(lambda _=False: slot())
        self.window.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def _build_menus(self) -> None:
        w = self.window
        bar = w.menuBar()
        file = bar.addMenu(translate("Menu", "&File"))
        file.addActions([self.new, self.open])
        self.recent_menu = file.addMenu(translate("Menu", "Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.examples_menu = file.addMenu(translate("Menu", "E&xamples"))
        self.examples_menu.setToolTipsVisible(True)  # the tooltip names the file
        self.examples_menu.aboutToShow.connect(self._fill_examples)
        file.addAction(self.import_model)
        file.addAction(w.code_trust.action)
        file.aboutToShow.connect(w.code_trust.sync_action)
        file.addSeparator()
        file.addActions([self.save, self.save_as])
        file.addSeparator()
        file.addActions([self.export_code, self.export_train, self.export_cluster])
        file.addActions([self.export_onnx, self.export_torchscript, self.export_program])
        file.addSeparator()
        file.addAction(self.quit)

        edit = bar.addMenu(translate("Menu", "&Edit"))
        edit.addActions([self.undo, self.redo])
        edit.addSeparator()
        edit.addActions([self.cut, self.copy, self.paste, self.duplicate, self.delete])
        edit.addSeparator()
        edit.addActions([self.rename, self.freeze, self.select_all, self.find_layer])
        edit.addSeparator()
        edit.addActions([self.group, self.ungroup])

        view = bar.addMenu(translate("Menu", "&View"))
        view.addActions([self.fit, self.auto_layout])
        view.addSeparator()
        view.addActions([self.zoom_in, self.zoom_out, self.zoom_reset])
        view.addSeparator()
        theme = view.addMenu(translate("Menu", "&Theme"))
        theme.addActions([self.theme_light, self.theme_dark])
        language = view.addMenu(translate("Menu", "&Language"))
        language.addActions(list(self.languages.values()))
        self.panels_menu = view.addMenu(translate("Menu", "&Panels"))
        self.view_menu = view

        train = bar.addMenu(translate("Menu", "&Train"))
        train.addActions(
            [
                self.start_training,
                self.run_processes,
                self.resume_run,
                self.start_weights,
                self.find_lr,
            ]
        )
        train.addAction(self.sample_view)
        train.addAction(self.show_training)

        help_menu = bar.addMenu(translate("Menu", "&Help"))
        help_menu.addAction(self.about)
        self._fill_recent()
        self._fill_examples()

    def add_panel_toggle(self, action: QAction) -> None:
        self.panels_menu.addAction(action)

    def _fill_recent(self) -> None:
        menu: QMenu = self.recent_menu
        menu.clear()
        recent = self.window.settings.recent_files()
        for path in recent:
            action = menu.addAction(path.name)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.window.files.open_path(p))
        if not recent:
            menu.addAction(translate("Menu", "No recent files")).setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction(translate("Menu", "Clear Menu")).triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        self.window.settings.clear_recent_files()
        self._fill_recent()

    def _fill_examples(self) -> None:
        menu: QMenu = self.examples_menu
        menu.clear()
        examples: list[Path] = self.window.files.examples()
        folder = self.window.files.examples_dir
        submenus: dict[str, QMenu] = {}
        for path in examples:
            where = menu
            sub = path.parent.relative_to(folder).as_posix() if folder else "."
            if sub != ".":  # examples/broken/x.json goes under "Broken"
                if sub not in submenus:
                    submenus[sub] = menu.addMenu(sub.replace("_", " ").capitalize())
                where = submenus[sub]
            text, tip = self.window.files.describe_example(path)
            action = where.addAction(text)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(lambda _=False, p=path: self.window.files.open_example(p))
        if not examples:
            menu.addAction(translate("Menu", "No examples found")).setEnabled(False)
