"""HTML forms for every kind of content, built from the pydantic models.

One form builder covers services, concerns, areas, postcodes and rules, so a
new field added to ``pathways.model`` appears in the admin without template
work. Lists of text are edited one item a line, choices as selects or
checkboxes, small nested values as grouped fields, and rule conditions and
examples (nested lists of mappings) as YAML, the same notation as the seed
files staff review.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from knowledge.content import safe_yaml

LONG_TEXT = {
    "summary", "description", "eligibility", "how_to_refer", "rationale", "guidance", "note",
    "verification_note", "phone_note", "headline",
}

LABELS = {
    "id": "Id",
    "does": "What the service does",
    "does_not": "What the service does not do",
    "former_names": "Former names",
    "how_to_refer": "How to refer",
    "referrers": "Who can refer",
    "last_verified": "Details last checked on",
    "needs_verification": "Needs checking",
    "la_codes": "Local authority codes (ONS)",
    "ward_codes": "Ward codes (ONS)",
    "partial_areas": "Areas only part of it lies in",
    "phrases": "Phrases that mean this concern",
    "absent_phrases": "Phrases that mean it is absent",
    "red_flag": "Red flag (urgent whatever else is said)",
    "risk_factor": "Risk factor (weighs towards a consultation with a relationship worry, "
    "never on its own)",
    "tiers": "Tiers this concern can lead to",
    "services": "Service ids, best first",
    "include_concern_services": "Also include the concerns' services",
    "next_steps": "Next steps",
    "from_months": "From age (months)",
    "to_months": "Up to age (months, not including)",
    "pregnancy": "Sees expectant parents",
    "postnatal": "Sees parents after the birth",
    "phone_uncertain": "Phone number not confirmed",
    "url": "Web address",
    "applies_to": "Applies when a professional would get",
}

Widget = Literal["text", "textarea", "int", "bool", "date", "choice", "lines", "multi", "yaml"]


@dataclass
class FieldSpec:
    name: str  # dotted for grouped fields: "contact.phone"
    label: str
    widget: Widget
    required: bool
    choices: tuple[str, ...] = ()
    hint: str = ""
    children: list[FieldSpec] = field(default_factory=list)

    @property
    def html_id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("_", "-")


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _literal_values(annotation: Any) -> tuple[str, ...] | None:
    if get_origin(annotation) is Literal:
        return tuple(str(v) for v in get_args(annotation))
    return None


def field_specs(model: type[BaseModel], prefix: str = "") -> list[FieldSpec]:
    specs: list[FieldSpec] = []
    for name, info in model.model_fields.items():
        annotation, optional = _strip_optional(info.annotation)
        full = prefix + name
        label = _label(name)
        required = info.is_required()
        hint = info.description or ""
        literal = _literal_values(annotation)
        origin = get_origin(annotation)
        if literal is not None:
            specs.append(FieldSpec(full, label, "choice", required, literal, hint))
        elif annotation is bool:
            specs.append(FieldSpec(full, label, "bool", False, hint=hint))
        elif annotation is int:
            specs.append(FieldSpec(full, label, "int", required and not optional, hint=hint))
        elif annotation is date:
            specs.append(FieldSpec(full, label, "date", required, hint=hint or "YYYY-MM-DD"))
        elif annotation is str:
            widget: Widget = "textarea" if name in LONG_TEXT else "text"
            specs.append(FieldSpec(full, label, widget, required and not optional, hint=hint))
        elif origin is tuple and get_args(annotation)[0] is str:
            specs.append(FieldSpec(full, label, "lines", required, hint=hint or "One a line."))
        elif origin is tuple and _literal_values(get_args(annotation)[0]) is not None:
            values = _literal_values(get_args(annotation)[0]) or ()
            specs.append(FieldSpec(full, label, "multi", required, values, hint))
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            group = FieldSpec(full, label, "yaml", required, hint=hint)
            group.children = field_specs(annotation, prefix=full + ".")
            specs.append(group)
        else:
            specs.append(
                FieldSpec(full, label, "yaml", required, hint=hint or "Written as YAML, "
                          "the same notation as the seed files.")
            )
    return specs


def _flat(specs: list[FieldSpec]) -> list[FieldSpec]:
    out: list[FieldSpec] = []
    for spec in specs:
        out.extend(_flat(spec.children) if spec.children else [spec])
    return out


def _to_text(spec: FieldSpec, value: Any) -> Any:
    if spec.widget == "bool":
        return bool(value)
    if spec.widget == "multi":
        return [str(v) for v in value or []]
    if value is None:
        return ""
    if spec.widget == "lines":
        return "\n".join(str(v) for v in value)
    if spec.widget == "yaml":
        if value in ([], {}):
            return ""
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100)
    return str(value)


def _lookup(document: dict[str, Any], dotted: str) -> Any:
    value: Any = document
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def form_values(specs: list[FieldSpec], document: dict[str, Any]) -> dict[str, Any]:
    """What each form control shows for a stored document."""
    return {s.name: _to_text(s, _lookup(document, s.name)) for s in _flat(specs)}


@dataclass
class ParsedForm:
    document: dict[str, Any]
    values: dict[str, Any]
    errors: dict[str, str]


def _parse_one(spec: FieldSpec, raw: Any, errors: dict[str, str]) -> Any:
    if spec.widget == "bool":
        return raw is not None and raw != ""
    if spec.widget == "multi":
        return list(raw)
    text = str(raw or "").replace("\r\n", "\n")
    if spec.widget == "lines":
        return [line.strip() for line in text.split("\n") if line.strip()]
    if spec.widget == "yaml":
        if not text.strip():
            return None
        try:
            return safe_yaml.load(text)
        except safe_yaml.YamlProblem as exc:
            errors[spec.name] = f"{spec.label} is not valid YAML: {exc}."
            return None
    text = text.strip()
    if not text:
        return None
    if spec.widget == "int":
        digits = text.removeprefix("-")
        if digits.isascii() and digits.isdecimal() and len(digits) <= 9:
            return int(text)
        errors[spec.name] = (
            f"{spec.label} must be a whole number written with the digits 0-9, like 24."
        )
        return None
    return text


def parse_form(
    specs: list[FieldSpec], get: Any, get_list: Any
) -> ParsedForm:
    """Build a document from submitted form data (``get(name)``, ``get_list(name)``)."""
    document: dict[str, Any] = {}
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in _flat(specs):
        raw = get_list(spec.name) if spec.widget == "multi" else get(spec.name)
        values[spec.name] = (
            list(raw) if spec.widget == "multi" else (raw is not None if spec.widget == "bool"
                                                      else str(raw or ""))
        )
        value = _parse_one(spec, raw, errors)
        if value is None:
            continue
        target = document
        *groups, last = spec.name.split(".")
        for group in groups:
            target = target.setdefault(group, {})
        target[last] = value
    return ParsedForm(document, values, errors)


def validation_errors(specs: list[FieldSpec], exc: ValidationError) -> dict[str, str]:
    """pydantic errors keyed by the form field they belong to, in plain words."""
    names = {s.name for s in _flat(specs)} | {s.name for s in specs}
    labels = {s.name: s.label for s in _flat(specs)} | {s.name: s.label for s in specs}
    errors: dict[str, str] = {}
    for error in exc.errors():
        parts = [str(p) for p in error.get("loc", ())]
        name = ""
        for i in range(len(parts), 0, -1):
            if ".".join(parts[:i]) in names:
                name = ".".join(parts[:i])
                break
        name = name or (parts[0] if parts else "form")
        label = labels.get(name, name)
        kind = error.get("type", "")
        if kind == "missing":
            message = f"Enter {label.lower()}."
        elif kind == "too_short":
            message = f"{label} needs at least one entry."
        elif kind == "string_pattern_mismatch":
            message = f"{label} is not in the accepted format ({error['ctx']['pattern']})."
        elif kind in ("date_from_datetime_parsing", "date_parsing"):
            message = f"{label} must be a date, like 2026-01-31."
        elif kind == "literal_error":
            message = f"{label} must be one of: {error['ctx']['expected']}."
        else:
            where = ".".join(parts[len(name.split(".")):])
            message = f"{label}{' (' + where + ')' if where else ''}: {error['msg']}."
        errors.setdefault(name, message)
    return errors
