"""Safe beyond localhost: passwords, sessions, protection against cross-site requests, security
headers and read-only share links. :func:`dashboard.security.web.install` puts them on the app;
:mod:`dashboard.security.guard` states the rules. The package itself imports nothing heavy."""
