"""`python -m dashiji` runs the command line."""

from dashiji.cli import main

main()
