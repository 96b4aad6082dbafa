"""The demo journey: Lancashire's children's services, 2015 'inadequate' to 2018 'requires
improvement to be good', built only from the five seed documents and citing each by file name."""

from pathlib import Path

DEMO_JOURNEY = Path(__file__).with_name("lancashire-2015-2018.jsonl")
