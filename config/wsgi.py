import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules) lives as long as
# the process: move it out of the collector's sight, so full collections stay
# short instead of stalling every thread of a worker for tens of milliseconds.
gc.freeze()
