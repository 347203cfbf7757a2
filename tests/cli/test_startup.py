"""What a `crosscheck` command loads before it does anything, and what it leaves for later.

Each check runs in a fresh interpreter (the test process has imported everything already).
No timing here: the figures are in bench/e2e; these tests keep the imports that caused them
from coming back unnoticed.
"""

from __future__ import annotations

import asyncio
import json

from server.agents import registry
from server.agents.base import AuditInputs
from server.ingest.reader import read_document
from server.samples import sample_path
from tests.support.processes import run_python


def modules_after(code: str) -> set[str]:
    """The modules loaded in a fresh interpreter after running `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = run_python(probe)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_cli_starts_without_the_agents_the_readers_the_log_or_the_network_clients() -> None:
    loaded = modules_after("import server.cli.commands")
    assert "server.cli.audit" in loaded and "typer" in loaded  # the probe did load the CLI
    for absent in (
        "server.agents.numeric",
        "server.agents.logic",
        "server.agents.disclosure",
        "server.agents.external",
        "server.ingest.reader",
        "server.ingest.assemble",
        "server.log",  # a local audit reports to the terminal, not to an event log
        "server.storage",
        "sqlite3",
        "docx",
        "httpx",
        "websockets",
        "generated.models.rest_schema",
        "generated.models.review_schema",
    ):
        assert absent not in loaded, f"`import server.cli.commands` loads {absent}"


def test_the_entry_point_loads_the_commands_only_when_called() -> None:
    loaded = modules_after("import server.cli")
    assert "server.cli.commands" not in loaded and "typer" not in loaded


def test_the_entry_point_leaves_the_collector_on() -> None:
    """`main` turns the collector off while it loads the commands; it must turn it back on."""
    code = (
        "import gc, sys\n"
        "sys.argv = ['crosscheck', '--help']\n"
        "from server.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(gc.isenabled())\n"
    )
    done = run_python(code)
    assert done.stdout.splitlines()[-1] == "True"


def test_the_registry_names_the_agents_without_importing_them() -> None:
    loaded = modules_after(
        "from server.agents.registry import default_agents\n"
        "assert list(default_agents()) == ['numeric', 'logic', 'disclosure', 'external']"
    )
    assert not {m for m in loaded if m.startswith("server.agents.") and m.count(".") >= 2} - {
        "server.agents.base",
        "server.agents.registry",
    }


def test_the_external_agent_loads_without_the_network_client() -> None:
    """Online sources are off unless configured: httpx (and the click, rich and pygments of its
    own command line) is loaded when one first opens a client, not with the agent."""
    loaded = modules_after("import server.agents.external")
    assert "server.agents.external.sources.gleif" in loaded  # the probe loaded the sources
    assert "httpx" not in loaded


def test_the_contract_models_load_by_schema_module_on_first_use() -> None:
    loaded = modules_after("import generated.models")
    assert not any(m.startswith("generated.models.") for m in loaded)
    loaded = modules_after("from generated.models import Heartbeat")
    assert "generated.models.frames_schema" in loaded
    assert "generated.models.rest_schema" not in loaded


def test_every_exported_model_name_resolves() -> None:
    import generated.models as models

    for name in models.__all__:
        value = getattr(models, name)
        assert value.__name__ == name, name
    assert sorted(dir(models)) == sorted(models.__all__)


def test_an_unknown_model_name_is_an_attribute_error() -> None:
    import generated.models as models

    try:
        models.NoSuchModel  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchModel" in str(exc)
    else:
        raise AssertionError("generated.models.NoSuchModel resolved")


def test_four_agents_started_together_each_load_their_package_once_and_run() -> None:
    """As in `crosscheck audit`: all four start at once in a fresh process, and every one of
    them finds its package whole (one import at a time: no half-initialised module)."""
    code = (
        "import asyncio, json\n"
        "from server.agents.registry import default_agents\n"
        "from server.agents.base import AuditInputs\n"
        "from server.ingest.reader import read_document\n"
        "from server.samples import sample_path\n"
        "doc = read_document(sample_path('insig-2024.docx').read_bytes(), 'insig-2024.docx')\n"
        "async def main():\n"
        "    agents = default_agents()\n"
        "    results = await asyncio.gather(*(a(AuditInputs(document=doc)) for a in agents.values()))\n"
        "    return {n: r.agent for n, r in zip(agents, results)}\n"
        "print(json.dumps(asyncio.run(main())))\n"
    )
    done = run_python(code)
    ran = json.loads(done.stdout.splitlines()[-1])
    assert ran == {name: name for name in ("numeric", "logic", "disclosure", "external")}


def test_a_registered_agent_gives_the_result_of_the_agent_it_names() -> None:
    from server.agents import numeric

    document = read_document(sample_path("insig-2024.docx").read_bytes(), "insig-2024.docx")
    inputs = AuditInputs(document=document)
    agent = registry.RegisteredAgent("numeric")

    async def both() -> tuple[object, object]:
        return await agent(inputs), await numeric.run(inputs)

    through_registry, direct = asyncio.run(both())
    assert through_registry == direct
