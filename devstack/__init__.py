"""Local development stack: starts Redis and the three services for the demo and the tests."""
