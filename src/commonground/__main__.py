"""``python -m commonground``: the same command line as the ``commonground`` console script.

Running ``python -m commonground.cli`` would load cli.py twice (once as ``__main__``, once under its
name, which the sub-command modules import), so the package is the module to run.
"""

from __future__ import annotations

from commonground.cli import main

if __name__ == "__main__":
    main()
