"""The command line every demo shares: --seed, --epochs, --out and --quick."""

from __future__ import annotations

import argparse
from typing import List, Optional


def demo_parser(
    doc: str,
    *,
    seed: int,
    seed_help: str,
    epochs_help: str,
    quick_help: str,
    epochs: Optional[int] = None,
) -> argparse.ArgumentParser:
    """The shared options; a demo may add its own before calling ``parse``."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--seed", type=int, default=seed, help=seed_help)
    parser.add_argument("--epochs", type=int, default=epochs, help=epochs_help)
    parser.add_argument("--out", default="out", help="directory for the pictures")
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--svg", action="store_true", help="also write each picture as SVG")
    return parser


def parse(parser: argparse.ArgumentParser, argv: Optional[List[str]]) -> argparse.Namespace:
    """Parse, and refuse --epochs below 1 the same way in every demo."""
    args = parser.parse_args(argv)
    if args.epochs is not None and args.epochs < 1:
        parser.error(f"--epochs must be at least 1, got {args.epochs}")
    return args
