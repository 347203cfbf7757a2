from tests.runtime.conftest import start_server

__all__ = ["start_server"]
