import pytest

from tests.jobs.fixtures import queue_config, run_jobs  # noqa: F401  (fixtures)


@pytest.fixture
def app_config(queue_config):
    return queue_config
