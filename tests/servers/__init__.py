"""Fake provider APIs for tests: real HTTP servers on 127.0.0.1 that record what they receive."""
