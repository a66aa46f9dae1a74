"""The shipped defaults (unit registry, channels, header aliases, time limits, rule sets, demo tables, icon).

A package so that ``importlib.resources`` finds these files wherever the app is installed: a checkout, a
wheel in site-packages, a PyInstaller folder or the Windows installer's ``pkgs``. Code reaches them only
through :func:`models.bundled.resource_path`.
"""
