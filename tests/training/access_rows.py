from tests.access import Row, expect

ROWS = [
    Row("api:me", "get", expect(401, 200, 200, 200, 200, 200)),
]
