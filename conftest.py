import os

# Tests run with DEBUG off, as production does; they need a key of their own.
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
