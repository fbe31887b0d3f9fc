"""Netwright's command line: the editor by default; `check`, `export`, `train`, `import` headless.

Each command imports only what it needs, so `check` never loads torch or Qt.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import i18n

ROOT = Path(__file__).resolve().parent
DEFAULT_EXAMPLE = ROOT / "examples" / "digits_cnn.json"
COMMANDS = ("check", "export", "train", "import")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netwright", description="Build PyTorch networks by drawing them."
    )
    parser.add_argument("--lang", metavar="LANG", help="language: en or zh_CN (default: $LANG)")
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="validate project files")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--json", action="store_true", help="one JSON object per file, per line")
    check.add_argument(
        "--fix", action="store_true", help="apply the first fix of each problem until none is left"
    )
    check.add_argument("-o", "--output", metavar="FIXED_JSON", help="where --fix writes the result")

    export = sub.add_parser("export", help="write the network as PyTorch code")
    export.add_argument("file", metavar="FILE")
    export.add_argument("-o", "--output", metavar="MODEL_PY")
    export.add_argument("--train-script", metavar="TRAIN_PY", help="also write a training script")
    export.add_argument("--onnx", metavar="MODEL_ONNX", help="also write ONNX (torch.onnx)")
    export.add_argument("--torchscript", metavar="MODEL_PT", help="also write TorchScript")
    export.add_argument(
        "--exported-program", metavar="MODEL_PT2", help="also write a torch.export program"
    )

    train = sub.add_parser("train", help="train the network headless")
    train.add_argument("file", metavar="FILE")
    train.add_argument("--dataset", metavar="NAME|PATH")
    train.add_argument("--epochs", type=int)
    train.add_argument("--batch-size", type=int)
    train.add_argument("--lr", type=float)
    train.add_argument("--optimizer")
    train.add_argument("--loss")
    train.add_argument("--device")
    train.add_argument("--seed", type=int)
    train.add_argument("--out", metavar="DIR")
    train.add_argument("--weights", metavar="STATE_DICT_PT", help="start from these weights")
    train.add_argument("--json", action="store_true", help="end with one JSON summary line")

    from importer.import_command import add_import_parser

    add_import_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    argv, language = i18n.use_cli_language(argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        return _gui(argv, language)
    args = build_parser().parse_args(argv)
    if args.command == "check":
        from graph.check_command import run_check

        if args.fix and not args.output:
            build_parser().error("--fix needs -o FIXED_JSON")
        return run_check(args.files, args.json, fix_to=args.output if args.fix else None)
    if args.command == "export":
        from codegen.export_command import run_export

        formats = args.onnx or args.torchscript or args.exported_program
        if not (args.output or formats):
            build_parser().error(
                "export needs -o MODEL_PY, --onnx, --torchscript or --exported-program"
            )
        code = run_export(args) if args.output else 0
        if code or not formats:
            return code
        from runtime.format_command import run_format_export

        return run_format_export(args)
    if args.command == "import":
        from importer.import_command import run_import

        return run_import(args)
    from runtime.train_command import run_train

    return run_train(args)


def _gui(argv: list[str], language: str | None) -> int:
    from gui.app import run_app

    return run_app(argv[0] if argv else None, default_example=DEFAULT_EXAMPLE, language=language)


if __name__ == "__main__":
    sys.exit(main())
