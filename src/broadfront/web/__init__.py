"""The Django project: settings, URLs, API and the apps."""
