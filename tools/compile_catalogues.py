"""(Re)writes `messages.mo` next to every shipped `messages.po`: `python tools/compile_catalogues.py`.

The bot reads only the .mo files, and they are committed (the package ships them), so they
must be rebuilt whenever a .po changes. The bytes are the same on every run and every
machine (see `check_catalogues.compile_po`), which lets tools/check_catalogues.py fail on a
stale .mo. Unlike `pybabel compile` it also refuses nothing silently: run the check after.
"""

import sys
from pathlib import Path

from check_catalogues import LOCALES, compile_po, shipped


def compile_all(locales: Path = LOCALES) -> list[Path]:
    """Compile every shipped catalogue; returns the .mo files that changed."""
    changed = []
    for lang, po in shipped(locales).items():
        if not po.exists():
            continue  # a .mo without its .po: the check reports it, nothing to build from
        mo, compiled = po.with_suffix(".mo"), compile_po(po, lang)
        if not mo.exists() or mo.read_bytes() != compiled:
            mo.write_bytes(compiled)
            changed.append(mo)
    return changed


def main() -> int:
    changed = compile_all()
    for mo in changed:
        print(f"wrote {mo}")
    print(f"{len(changed)} catalogue(s) compiled, {len(shipped()) - len(changed)} already up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
