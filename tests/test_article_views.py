"""dashboard.article: its cached views are keyed on a digest plus small settings, never data."""

import inspect

from dashboard import article

SMALL = {"str", "float", "int", "tuple", "bool"}


def cached_views():
    return [
        (name, f)
        for name, f in vars(article).items()
        if callable(f) and hasattr(f, "clear") and getattr(f, "__module__", "") == article.__name__
    ]


def test_every_cached_view_hashes_only_small_settings():
    views = cached_views()
    assert len(views) >= 10  # norms, lesson, one_feature, …, two_weights
    for name, view in views:
        for param in inspect.signature(view).parameters.values():
            if param.name.startswith("_"):
                continue  # not hashed by Streamlit: the data's bytes
            assert param.annotation in SMALL, f"{name}({param.name}: {param.annotation})"
