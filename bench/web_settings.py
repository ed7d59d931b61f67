"""The production settings, with the benchmark's reference view added to the URLs
(bench/floor.py). Only `python -m bench` serves it: the app never routes to it."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor"
