import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _dutch():
    """Each test starts in Dutch (a request in English leaves its language active in the thread)."""
    translation.activate("nl")
    yield
    translation.activate("nl")
