"""Netwright's command line: the editor by default; `check`, `export`, `train`, `import` headless.

Each command imports only what it needs, so `check` never loads torch or Qt.
"""

from __future__ import annotations

import sys
from pathlib import Path

import i18n
from i18n import msg

ROOT = Path(__file__).resolve().parent
DEFAULT_EXAMPLE = ROOT / "examples" / "digits_cnn.json"
COMMANDS = ("check", "export", "train", "import")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    argv, language = i18n.use_cli_language(argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        return _gui(argv, language)
    from cli.parser import build_parser

    args = build_parser().parse_args(argv)
    if args.command == "check":
        from cli.check import run_check

        if args.fix and not args.output:
            build_parser().error(msg("--fix needs -o FIXED_JSON"))
        return run_check(
            args.files, args.json, fix_to=args.output if args.fix else None, trust=args.trust
        )
    if args.command == "export":
        from cli.export import run_export

        formats = args.onnx or args.torchscript or args.exported_program
        if not (args.output or formats):
            build_parser().error(
                msg("export needs -o MODEL_PY, --onnx, --torchscript or --exported-program")
            )
        code = run_export(args) if args.output else 0
        if code or not formats:
            return code
        from runtime.format_command import run_format_export

        return run_format_export(args)
    if args.command == "import":
        from importer.import_command import run_import

        return run_import(args)
    from cli.train import run_train

    return run_train(args)


def _gui(argv: list[str], language: str | None) -> int:
    from gui.app import run_app

    return run_app(argv[0] if argv else None, default_example=DEFAULT_EXAMPLE, language=language)


if __name__ == "__main__":
    sys.exit(main())
