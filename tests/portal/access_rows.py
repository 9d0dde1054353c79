from tests.access import Row, expect

ROWS = [
    # Pages answer an anonymous caller with a redirect to the login page.
    Row("portal:home", "get", expect(302, 200, 200, 200, 200, 200)),
    Row("portal:login", "get", expect(200, 302, 302, 302, 302, 302), label="a logged-in caller is sent home"),
    Row("portal:logout", "post", expect(302, 302, 302, 302, 302, 302)),
]
