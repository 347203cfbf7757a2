"""The published contract, installed as the package `server.schema` (see setup.py) so the server
serves it with importlib.resources; there is no Python here."""
