"""WSGI entry point."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = get_wsgi_application()

# A request allocates tens of thousands of objects. With Python's default threshold (700) the
# cycle collector runs dozens of times per request, each time walking what start-up loaded.
# Those objects stay for the life of the process: freeze them out of collection, and collect
# the young generation every 50,000 allocations (about 6% less CPU per dossier filed; see
# benchmarks/README.md).
gc.freeze()
gc.set_threshold(50_000, 20, 10)
