# Image B's own file: the only layer that B does not share with A.
import sys

import requests

print(f"app b, requests {requests.__version__}, python {sys.version.split()[0]}")
