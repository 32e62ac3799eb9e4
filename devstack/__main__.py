"""`python -m devstack`: the portal with demo data on http://127.0.0.1:8000."""
from .server import main

raise SystemExit(main())
