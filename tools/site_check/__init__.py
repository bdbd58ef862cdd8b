"""The website test of tools/check_site.py."""
