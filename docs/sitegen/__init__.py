"""The website generator of docs/make_site.py."""
