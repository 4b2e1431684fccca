#!/usr/bin/env python3
"""Validates FHIR documents with two independent validators.

usage: validate_fhir.py FHIR_SCHEMA_JSON DOCUMENTS_DIR

1. HL7's published FHIR R4 JSON Schema (fhir.schema.json, id http://hl7.org/fhir/json-schema/4.0),
   with Python's `jsonschema` (draft 6): every resource against its own definition
   (`#/definitions/<resourceType>`), and every Bundle entry's resource on its own too.
2. Python's `fhir.resources` R4B models (pydantic): every resource parsed by the model class of
   its resourceType, which checks cardinality, required elements, value types and choice
   types.

Also checks that every `urn:uuid:` reference inside a Bundle resolves to one of its entries.
Every *.json file of DOCUMENTS_DIR is read (files ending in .cds.json are CDS Hooks responses,
not FHIR, and are skipped). Prints each error and a count per validator; exits 1 on any error.
"""

import json
import sys
from importlib.metadata import version
from pathlib import Path

import jsonschema
from fhir.resources.R4B import get_fhir_model_class


def resources_of(document):
    """The document and, for a Bundle, each entry's resource (and contained resources)."""
    out = [("", document)]
    if document.get("resourceType") == "Bundle":
        for i, entry in enumerate(document.get("entry", [])):
            if isinstance(entry.get("resource"), dict):
                out.append((f" entry[{i}]", entry["resource"]))
    for path, resource in list(out):
        for j, contained in enumerate(resource.get("contained", []) or []):
            out.append((f"{path} contained[{j}]", contained))
    return out


def references(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                yield inner
            else:
                yield from references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from references(inner)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema = json.loads(Path(sys.argv[1]).read_text())
    if schema.get("id") != "http://hl7.org/fhir/json-schema/4.0":
        print(f"not the FHIR R4 JSON Schema: id {schema.get('id')!r}", file=sys.stderr)
        return 2
    definitions = schema["definitions"]
    validators = {}

    def validator(resource_type):
        if resource_type not in validators:
            validators[resource_type] = jsonschema.Draft6Validator(
                {"definitions": definitions, "$ref": f"#/definitions/{resource_type}"}
            )
        return validators[resource_type]

    files = sorted(
        p for p in Path(sys.argv[2]).glob("*.json") if not p.name.endswith(".cds.json")
    )
    if not files:
        print(f"no documents in {sys.argv[2]}", file=sys.stderr)
        return 1
    counts = {"documents": 0, "resources": 0, "schema_errors": 0, "model_errors": 0, "reference_errors": 0}
    by_type = {}
    for path in files:
        document = json.loads(path.read_text())
        counts["documents"] += 1
        for where, resource in resources_of(document):
            name = f"{path.name}{where}"
            resource_type = resource.get("resourceType")
            counts["resources"] += 1
            by_type[resource_type] = by_type.get(resource_type, 0) + 1
            if resource_type not in definitions or resource_type not in schema["discriminator"]["mapping"]:
                print(f"{name}: unknown resourceType {resource_type!r}")
                counts["schema_errors"] += 1
                counts["model_errors"] += 1
                continue
            for error in sorted(validator(resource_type).iter_errors(resource), key=str):
                location = "/".join(str(p) for p in error.absolute_path)
                print(f"{name}: JSON Schema: at /{location}: {error.message[:300]}")
                counts["schema_errors"] += 1
            try:
                get_fhir_model_class(resource_type).model_validate(resource)
            except Exception as error:  # pydantic.ValidationError and model lookup errors
                for line in str(error).splitlines()[:20]:
                    print(f"{name}: fhir.resources R4B: {line}")
                counts["model_errors"] += 1
        if document.get("resourceType") == "Bundle":
            full_urls = {e.get("fullUrl") for e in document.get("entry", [])}
            for ref in references(document):
                if ref.startswith("urn:uuid:") and ref not in full_urls:
                    print(f"{path.name}: reference {ref} does not resolve inside the Bundle")
                    counts["reference_errors"] += 1
    types = ", ".join(f"{t} {n}" for t, n in sorted(by_type.items()))
    print(f"documents: {counts['documents']}; resources: {counts['resources']} ({types})")
    print(f"FHIR R4 JSON Schema (jsonschema {version('jsonschema')}): "
          f"{counts['resources']} resources, {counts['schema_errors']} errors")
    print(f"fhir.resources {version('fhir.resources')} R4B models: {counts['resources']} resources, {counts['model_errors']} errors")
    print(f"Bundle references: {counts['reference_errors']} unresolved")
    failed = counts["schema_errors"] + counts["model_errors"] + counts["reference_errors"]
    bad_resources = min(failed, counts["resources"])
    print(f"validate-fhir: {counts['resources'] - bad_resources} passed, {bad_resources} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
