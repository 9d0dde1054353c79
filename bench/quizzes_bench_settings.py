"""Settings of the quizzes benchmark server: the project's, plus one bare baseline route."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.quizzes_bench_urls"
