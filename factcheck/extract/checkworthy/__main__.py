"""`python -m factcheck.extract.checkworthy [score] [FILE|-]`, `... train ...`, `... vectors ...`."""

import sys

if __name__ == "__main__":
    argv = sys.argv[1:]
    if argv and argv[0] == "train":
        from .train import main

        sys.exit(main(argv[1:]))
    if argv and argv[0] == "vectors":
        from .vectors import main

        sys.exit(main(argv[1:]))
    if argv and argv[0] == "score":
        argv = argv[1:]
    from .cli import main

    sys.exit(main(argv))
