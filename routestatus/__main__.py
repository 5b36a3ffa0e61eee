import sys

from routestatus.cli import main

sys.exit(main())
