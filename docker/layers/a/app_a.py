# Image A's own file: the only layer that A does not share with B.
import requests

print(f"app a, requests {requests.__version__}")
