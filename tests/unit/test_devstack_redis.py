"""The private Redis the tests and the demo start is a real, working server."""

import redis


def test_private_redis_answers_and_stores(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.set("greeting", "hello")
    assert client.get("greeting") == b"hello"


def test_private_redis_refuses_writes_when_full_instead_of_evicting(redis_url):
    config = redis.Redis.from_url(redis_url).config_get("maxmemory*")
    assert config["maxmemory-policy"] == "noeviction" and int(config["maxmemory"]) > 0
