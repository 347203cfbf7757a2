"""The one packaging fact pyproject.toml cannot state: web/ and schema/ ship inside the package.

They stay at the top of the repository (the page and the published contract are not Python),
and are installed as the packages `server.web` and `server.schema`, so the server reads them
with importlib.resources whether it runs from a wheel or an editable install. pyproject.toml
cannot combine package discovery with `package-dir` entries for packages discovery cannot find.
Namespace discovery (as pyproject's `find` did by default) keeps the agents' `data/` folders,
which have no `__init__.py`. Everything else is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(include=["server*", "generated*"]),
        "server.web",
        "server.schema",
    ],
    package_dir={"server.web": "web", "server.schema": "schema"},
)
