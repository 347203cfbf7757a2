"""The installed package works away from the repository: a wheel, a fresh venv, a real server.

The wheel is built from a copy of the sources (nothing lands in the work tree) without build
isolation, and installed with `--no-index --no-deps`, so no network is needed: the fresh venv
sees the project venv's already-installed dependencies through a `.pth` line (a plain path, so
the project's editable install of crosscheck stays invisible). `crosscheck serve` then runs from
that venv, in a directory outside the repository, and must serve the page, the schema files,
the generated codes the page imports, the bundled samples, and finish an audit of one.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import venv
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.frames import assert_valid_body, assert_valid_frame

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["pyproject.toml", "setup.py", "server", "generated", "web", "schema"]
START_DEADLINE_S = 60.0  # a bound on waiting, not a measured figure


def _build_wheel(workdir: Path) -> Path:
    source = workdir / "src"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / name)
    dist = workdir / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["--no-index", "-w", str(dist), str(source)],
        check=True,
        capture_output=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    (wheel,) = dist.glob("crosscheck-*.whl")
    return wheel


def _fresh_venv(workdir: Path, wheel: Path) -> Path:
    target = workdir / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The project venv's dependencies, as a plain path: its .pth files (the editable install of
    # crosscheck among them) are not processed, so `server` can only come from the wheel.
    Path(purelib, "project-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
        + ["--no-index", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return target


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(the fresh venv, the URL of `crosscheck serve` running from it)."""
    workdir = tmp_path_factory.mktemp("wheel")
    target = _fresh_venv(workdir, _build_wheel(workdir))
    port = _free_port()
    run_dir = workdir / "run"
    run_dir.mkdir()
    server = subprocess.Popen(
        [str(target / "bin" / "crosscheck"), "serve", "--port", str(port)]
        + ["--data-dir", str(run_dir / "data"), "--agent-workers", "1"],
        cwd=run_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_DEADLINE_S
        while True:
            if server.poll() is not None:
                assert server.stderr is not None
                pytest.fail(f"crosscheck serve exited: {server.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"crosscheck serve did not answer within {START_DEADLINE_S:g} s")
            time.sleep(0.1)
        yield target, base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_the_package_comes_from_the_wheel_not_the_repository(installed: tuple[Path, str]):
    target, _ = installed
    where = subprocess.run(
        [str(target / "bin" / "python"), "-c", "import server, generated; print(server.__file__)"]
        + [],
        check=True,
        capture_output=True,
        text=True,
        cwd=target,
    ).stdout.strip()
    assert Path(where).is_relative_to(target), where
    assert not Path(where).is_relative_to(ROOT)


def test_the_installed_server_serves_the_page_the_contract_and_the_samples(
    installed: tuple[Path, str],
):
    _, base = installed
    with httpx.Client(base_url=base, timeout=20) as client:
        page = client.get("/")
        assert page.status_code == 200 and "<html" in page.text.lower()
        assert client.get("/web/stream.js").status_code == 200
        codes = client.get("/generated/codes.js")
        assert codes.status_code == 200 and "WS_4404_UNKNOWN_AUDIT = 4404" in codes.text
        for name in ["frames", "common", "results", "rest", "document"]:
            schema = client.get(f"/schema/v1/{name}.schema.json").json()
            assert schema["$id"].endswith(f"/{name}.schema.json")
        assert "asyncapi" in client.get("/schema/v1/asyncapi.yaml").text
        assert "/api/v1/audits" in client.get("/schema/openapi.json").json()["paths"]
        samples = client.get("/api/v1/samples").json()
        assert_valid_body("SampleList", samples)
        shipped = [s for s in samples["samples"] if not s["name"].endswith("-planted")]
        assert shipped, "the wheel ships no sample"


def test_an_audit_of_a_bundled_sample_finishes(installed: tuple[Path, str]):
    _, base = installed
    with httpx.Client(base_url=base, timeout=60) as client:
        sample = client.get("/api/v1/samples").json()["samples"][0]
        created = client.post("/api/v1/audits", data={"sample": sample["name"]})
        assert created.status_code == 202, created.text
        audit_id = created.json()["audit_id"]
        frames = []
        with client.stream("GET", f"/api/v1/audits/{audit_id}/events") as stream:
            for line in stream.iter_lines():
                if line.startswith("data: "):
                    frames.append(json.loads(line[6:]))
                    assert_valid_frame(frames[-1])
        snapshot = client.get(f"/api/v1/audits/{audit_id}").json()
    assert frames and frames[-1]["type"] == "audit_finished"
    assert frames[-1]["status"] == "completed", frames[-1]
    assert {f["agent"] for f in frames if f["type"] == "agent_completed"} == {
        "numeric",
        "logic",
        "disclosure",
        "external",
    }
    assert snapshot["state"] == "completed" and snapshot["document"]["name"] == sample["document"]
