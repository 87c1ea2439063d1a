import importlib.util

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "Fact-check desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from factcheck import extract, security  # noqa: F401 — security connects its signal

        # The engine is Django-free; the model name is a setting, handed over once here.
        extract.set_model(settings.FACTCHECK_SPACY_MODEL)


@checks.register()
def spacy_model_installed(app_configs, **kwargs):
    """Fail `manage.py check` early rather than on the first article a worker extracts."""
    name = settings.FACTCHECK_SPACY_MODEL
    if importlib.util.find_spec(name) is None:
        return [checks.Error(
            f"The spaCy model package {name!r} is not installed.",
            hint="Run `make install`, or set FACTCHECK_SPACY_MODEL to an installed model.",
            id="factcheck.E001")]
    return []
