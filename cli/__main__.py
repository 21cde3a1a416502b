"""``python -m cli``: the same as the ``seal`` console script."""

from cli.main import main

main()
