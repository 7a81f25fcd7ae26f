"""django-oscar-api classes overridden through OSCARAPI_OVERRIDE_MODULES."""
