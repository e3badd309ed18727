"""Allow ``python -m termforum``."""

from termforum.cli import main

raise SystemExit(main())
