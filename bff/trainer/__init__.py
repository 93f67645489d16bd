"""Trainer mode: records and explains every protocol step of the demo (off by default)."""
