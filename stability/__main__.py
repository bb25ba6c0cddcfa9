"""``python -m stability`` runs the CLI."""

from stability.cli import main

main()
