"""Operations scripts: nginx in front of app servers, scale-out and fault drills.

Run them from the repository root, e.g. `.venv/bin/python ops/faults.py --short`.
"""
