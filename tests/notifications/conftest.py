from tests.notifications.fixtures import celery_eager, gateway

__all__ = ["celery_eager", "gateway"]
