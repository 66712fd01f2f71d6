"""The real services the scale-out deployment uses, on localhost: Redis (database 15, emptied before and after
each test) with a Celery worker thread, and moto's S3 server standing in for an S3-compatible store."""

from __future__ import annotations

import socket
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import kombu.pools
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from moto.server import ThreadedMotoServer

from revisio.celery import app
from revisio.web.settings import s3_storage

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own: flushing it touches nothing else


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("Redis is not reachable on 127.0.0.1:6379 (.ci/run starts it): the Celery path is not tested")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def forget_connections() -> None:
    """Drop the pooled connections (the app's and kombu's, which a stopped worker leaves closed), so the next
    job connects afresh to the broker configured now."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()


@pytest.fixture
def broker(redis_client: redis.Redis, settings: Any) -> Iterator[str]:
    """Jobs go to Celery through Redis, as with ``REVISIO_CELERY_BROKER_URL`` set. The app read its
    configuration when first used, so it is pointed at the test database here too."""
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.REVISIO_JOBS_ENABLED = True
    previous = app.conf.broker_url
    app.conf.broker_url = REDIS_URL
    forget_connections()
    yield REDIS_URL
    forget_connections()
    app.conf.broker_url = previous


class Finished:
    """The jobs the worker has finished, so a test waits for them instead of polling the database (SQLite's
    shared in-memory test database refuses a read while the worker thread writes). Other apps may queue
    jobs of their own (alerts after a check-in), so a test waits for the jobs it means."""

    def __init__(self) -> None:
        self.jobs: list[str] = []
        self.changed = threading.Condition()

    def __call__(self, args: tuple[Any, ...] = (), **_: Any) -> None:
        with self.changed:
            self.jobs.append(str(args[0]) if args else "")
            self.changed.notify_all()

    def wait_for(self, job: str, times: int = 1, timeout: float = 120.0) -> None:
        with self.changed:
            done = self.changed.wait_for(lambda: self.jobs.count(job) >= times, timeout=timeout)
        assert done, f"the worker did not finish {job} {times} time(s) in {timeout} s; it finished {self.jobs}"


@pytest.fixture
def worker(broker: str) -> Iterator[Finished]:
    """A real Celery worker consuming from Redis, in a thread of this process: it reaches the test database
    with this process's settings. Tests that use it commit their data (``transaction=True``)."""
    finished = Finished()
    task_postrun.connect(finished, weak=False)
    try:
        with start_worker(
            app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"
        ):
            yield finished
    finally:
        task_postrun.disconnect(finished)


@dataclass
class S3:
    client: Any  # boto3's S3 client, straight to the server: what is really stored there
    bucket: str

    def keys(self) -> set[str]:
        return {item["Key"] for item in self.client.list_objects_v2(Bucket=self.bucket).get("Contents", [])}


@pytest.fixture
def s3(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[S3]:
    """Media on moto's S3 server on a free local port, configured through the same environment variables a
    deployment sets (``revisio.web.settings.s3_storage``). moto stands in for an S3-compatible server
    (MinIO, Ceph, AWS), none of which can be installed from the package registries here."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    environment = {
        "REVISIO_S3_BUCKET": "revisio-media",
        "REVISIO_S3_ENDPOINT_URL": endpoint,
        "REVISIO_S3_REGION": "ap-northeast-2",
        "REVISIO_S3_ACCESS_KEY_ID": "test-key",
        "REVISIO_S3_SECRET_ACCESS_KEY": "test-secret",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="ap-northeast-2",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket="revisio-media", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-2"})
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage()}
    try:
        yield S3(client=client, bucket="revisio-media")
    finally:
        # moto keeps its buckets in this process, whatever the server's port: forget them for the next test.
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=10)
        server.stop()
