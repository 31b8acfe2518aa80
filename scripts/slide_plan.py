"""Set the course's slide metadata on notebooks (the rules: gan_helpers/teaching/slides.py).

python scripts/slide_plan.py notebooks/*.ipynb            # apply the plan
python scripts/slide_plan.py --check notebooks/*.ipynb    # list notebooks whose slides are out of date
python scripts/slide_plan.py --show notebooks/01_what_is_a_gan.ipynb   # print each cell's slide type
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gan_helpers.teaching.slides import main

if __name__ == "__main__":
    sys.exit(main())
