"""Entry script of the packaged ``pos-terminal`` (PyInstaller onedir build).

``multiprocessing.freeze_support()`` must run before anything else: the isolated decoder workers
(``hardware.scanner.isolated``) start through a fork server / spawn, and in a frozen build those children
are this same executable started with multiprocessing's own arguments. Without this call they would run
the CLI instead of the worker.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from pos_app.cli import main

    sys.exit(main())
