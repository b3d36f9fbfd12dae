#!/usr/bin/env python3
"""ctest entry for the browser test (check_html.mjs): runs it with node, or
exits 77 (skipped) with the reason when node is not installed."""
import os, shutil, subprocess, sys

node = shutil.which("node")
if not node:
    print("SKIPPED: no node (bash scripts/bootstrap.sh test installs nodejs, chromium and playwright-core)")
    sys.exit(77)
here = os.path.dirname(os.path.abspath(__file__))
sys.exit(subprocess.call([node, os.path.join(here, "check_html.mjs")] + sys.argv[1:]))
