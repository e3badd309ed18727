"""The demo forum over real loopback HTTP (uvicorn on 127.0.0.1, a free port)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from termforum.demo import MAX_POST_IDS, DemoServer, DemoServerError, serve_forever

REPO_ROOT = Path(__file__).resolve().parents[2]


def port_is_closed(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo-data")


@pytest.fixture
def server(data_dir: Path) -> Iterator[DemoServer]:
    demo = DemoServer(data_dir)
    demo.start()
    yield demo
    demo.stop()


def test_serves_over_http_and_closes_the_port_when_stopped(data_dir: Path) -> None:
    demo = DemoServer(data_dir, host="127.0.0.1", port=0)
    url = demo.start()
    port = urlsplit(url).port
    assert url == f"http://127.0.0.1:{port}" and port
    try:
        with httpx.Client(base_url=url, timeout=10) as client:
            latest = client.get("/latest.json")
            assert latest.status_code == 200
            assert latest.headers["content-type"] == "application/json; charset=utf-8"
            body = latest.json()
            more = body["topic_list"]["more_topics_url"]
            page1 = client.get(more, headers={"Accept": "application/json"})
            assert page1.status_code == 200
            ids0 = {t["id"] for t in body["topic_list"]["topics"]}
            ids1 = {t["id"] for t in page1.json()["topic_list"]["topics"]}
            assert ids1 and not ids0 & ids1

            topic_id = body["topic_list"]["topics"][0]["id"]
            topic = client.get(f"/t/{topic_id}.json").json()
            assert topic["post_stream"]["posts"][0]["cooked"].startswith("<")
            stream = topic["post_stream"]["stream"]
            posts = client.get(
                f"/t/{topic_id}/posts.json", params=[("post_ids[]", i) for i in stream]
            ).json()
            assert [p["id"] for p in posts["post_stream"]["posts"]] == stream
            # A full batch of MAX_POST_IDS ids is served (a request line over 16 KiB).
            full = [("post_ids[]", str(99_990 + i % 10)) for i in range(MAX_POST_IDS)]
            assert client.get(f"/t/{topic_id}/posts.json", params=full).status_code == 200
            assert client.get("/site.json").json()["categories"]
            assert client.get("/session/current.json").status_code == 404
    finally:
        demo.stop()
    assert port_is_closed(port)
    assert demo.url is None


def test_context_manager_and_data_folder_reuse(data_dir: Path) -> None:
    database = data_dir / "demo.sqlite3"
    with DemoServer(data_dir) as first:
        assert first.url
        stamp = database.stat().st_mtime_ns
    with DemoServer(data_dir) as second:
        assert httpx.get(f"{second.url}/site/basic-info.json", timeout=10).status_code == 200
    assert database.stat().st_mtime_ns == stamp


def _newest_activity(url: str) -> datetime:
    topics = httpx.get(f"{url}/latest.json", timeout=10).json()["topic_list"]["topics"]
    return max(datetime.fromisoformat(t["last_posted_at"].replace("Z", "+00:00")) for t in topics)


def test_the_server_makes_the_content_look_current_unless_told_not_to(data_dir: Path) -> None:
    with DemoServer(data_dir) as live:
        assert live.url and live.app is not None
        newest = _newest_activity(live.url)
        now = datetime.now(UTC)
        assert now - timedelta(hours=1) < newest < now
        assert live.app.time_shift % timedelta(minutes=1) == timedelta(0)
    with DemoServer(data_dir, time_shift=timedelta(0)) as fixed:
        assert fixed.url
        assert _newest_activity(fixed.url) == datetime(2025, 11, 20, 8, 9, 10, tzinfo=UTC)
    with DemoServer(data_dir, time_shift=3600) as hour:
        assert hour.url
        assert _newest_activity(hour.url) == datetime(2025, 11, 20, 9, 9, 10, tzinfo=UTC)


def test_a_given_app_keeps_its_own_time_shift(data_dir: Path) -> None:
    from termforum.demo import create_app

    with create_app(data_dir) as app:
        with pytest.raises(ValueError):
            DemoServer(app=app, time_shift=timedelta(0))
        with DemoServer(app=app) as server:
            assert server.url
            assert _newest_activity(server.url).year == 2025


def test_a_dropped_connection_is_a_real_transport_error(server: DemoServer) -> None:
    assert server.app is not None and server.url
    server.app.faults.drop_next()
    with httpx.Client(base_url=server.url, timeout=10) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.get("/latest.json")
        assert client.get("/latest.json").status_code == 200


def test_faults_over_the_control_endpoint(server: DemoServer) -> None:
    assert server.url
    with httpx.Client(base_url=server.url, timeout=10) as client:
        set_up = client.post(
            "/__demo/faults", json={"add": [{"kind": "rate_limit", "retry_after": 4}]}
        )
        assert set_up.status_code == 200
        limited = client.get("/latest.json")
        assert limited.status_code == 429 and limited.headers["retry-after"] == "4"
        assert client.get("/latest.json").status_code == 200


def test_port_in_use_is_one_clear_sentence(data_dir: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(DemoServerError) as excinfo:
            serve_forever("127.0.0.1", port, data_dir)
        with pytest.raises(DemoServerError):
            DemoServer(data_dir, port=port).start()
    message = str(excinfo.value)
    assert f"port {port}" in message and "already in use" in message
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message


@pytest.mark.slow
def test_serve_forever_prints_the_url_and_stops_cleanly_on_sigterm(data_dir: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from termforum.demo import serve_forever; "
        "sys.exit(serve_forever('127.0.0.1', 0, Path(sys.argv[1])))"
    )
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line
        url = line.split()[line.split().index("at") + 1]
        port = urlsplit(url).port
        assert port
        assert httpx.get(f"{url}/latest.json", timeout=10).status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        assert proc.stderr is not None and proc.stderr.read() == ""
        deadline = time.monotonic() + 5
        while not port_is_closed(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert port_is_closed(port)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
