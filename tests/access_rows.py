"""Access rows of the routes config wires itself: auth, schema, docs, health."""

from tests.access import Row, expect

ROWS = [
    Row("api:auth-token", "post", expect(400, 400, 400, 400, 400, 400), body=lambda w, c: {}, label="empty body"),
    Row("api:auth-logout", "post", expect(401, 204, 204, 204, 204, 204)),
    Row("api:auth-logout-all", "post", expect(401, 204, 204, 204, 204, 204)),
    Row("schema", "get", expect(200, 200, 200, 200, 200, 200)),
    Row("swagger-ui", "get", expect(200, 200, 200, 200, 200, 200)),
    Row("healthz", "get", expect(200, 200, 200, 200, 200, 200)),
]
