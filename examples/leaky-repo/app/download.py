import os
import urllib.request

# A read-only link to one blob, but valid for two years.
MODEL_URL = "https://mlartifacts.blob.core.windows.net/models/resnet50.pt?sv=2024-11-04&sr=b&sp=r&st=2025-06-01T00:00:00Z&se=2027-06-01T00:00:00Z&spr=https&sig=UDE9kL49np2EVs%2BoccTcqfVE2h3qpp%2Bq%2B%2FLTHKYENcU%3D"

# Built at run time: nothing to report.
def signed(url, sas):
    return f"{url}?{sas}"


def main():
    urllib.request.urlretrieve(MODEL_URL, os.path.basename("resnet50.pt"))
