"""The cycle collector once the application is loaded: what exists is frozen, young collections are spaced."""

import gc

from registry.core import collector


def test_settle_freezes_what_is_loaded_and_spaces_the_young_collections():
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.disable()
    loaded = [object() for _ in range(10)] + [[]]  # a tracked container, loaded before settling
    try:
        collector.settle()
        assert gc.isenabled()
        assert gc.get_threshold() == (collector.YOUNG_THRESHOLD, *threshold[1:])
        assert not any(item is loaded[-1] for item in gc.get_objects())  # frozen: no longer walked
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        if not enabled:
            gc.disable()
