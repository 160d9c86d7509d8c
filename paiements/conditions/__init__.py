"""Conditions of card payment, one text file per issuer (the OCP's is seed 000), shown on the
payment page.

Their version is a digest of the text: any change of wording is a new version, and each
payment records the version its payer accepted.
"""

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TEXT_FILE = Path(__file__).with_name("conditions-generales.txt")  # the OCP's: seed 000


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph" or "item"
    text: str


def current() -> tuple[str, tuple[Block, ...]]:
    """(version, blocks) of the OCP's conditions in force."""
    return read(TEXT_FILE)


@cache
def read(path: Path) -> tuple[str, tuple[Block, ...]]:
    """(version, blocks) of the conditions in the text file `path`."""
    text = path.read_text(encoding="utf-8")
    version = "CG-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    blocks = []
    for line in text.splitlines():
        if line.startswith("# "):
            blocks.append(Block("heading", line[2:]))
        elif line.startswith("- "):
            blocks.append(Block("item", line[2:]))
        elif line:
            blocks.append(Block("paragraph", line))
    return version, tuple(blocks)
