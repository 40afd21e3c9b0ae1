"""WSGI entry point (refuses to load with the built-in development secret key unless LANBAI_DEBUG=1)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from lanbai.config.secret import insecure_start_refusal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lanbai.config.settings")
application = get_wsgi_application()
_refusal = insecure_start_refusal(settings.SECRET_KEY, debug=settings.DEBUG)
if _refusal:
    raise ImproperlyConfigured(_refusal)
