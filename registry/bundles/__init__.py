"""Bundles of signed conventions: a streamed, deterministic ZIP of the latest signed copy of every convention and
avenant of a hospital, a département, a region or a selection, with its manifests (docs/bundles.md)."""
