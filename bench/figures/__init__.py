"""One module per figure. Each defines `run() -> str`, returning its one printed line
(`NAME key=value ...`, built with `bench.measure.format_line`). `python -m bench` runs them all in
name order, or those named on its command line."""

import pkgutil


def available() -> list[str]:
    return sorted(module.name for module in pkgutil.iter_modules(__path__))
