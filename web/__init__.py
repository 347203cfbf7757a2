"""The page's files, installed as the package `server.web` (see setup.py) so the server finds
them with importlib.resources; there is no Python here."""
