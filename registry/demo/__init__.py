"""The demo region loaded by `demo-data` and `make run`."""
