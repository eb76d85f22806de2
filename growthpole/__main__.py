import sys

from growthpole.cli import main

sys.exit(main())
