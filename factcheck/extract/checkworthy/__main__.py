"""`python -m factcheck.extract.checkworthy [FILE|-]`: score sentences (training lives in
`training/checkworthy/`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
