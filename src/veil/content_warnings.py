"""The warning vocabulary: canonical terms, their aliases and descriptions.

Writers type whatever is natural (`sa`, `tw: self harm`, `Suicide`); we map it to one
canonical term so readers see consistent words and can set preferences per term.
A site's `warnings.yaml` adds terms or overrides built-in ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostics
from .fields import FieldReader, did_you_mean
from .yamlfile import LineMap, YamlDocument, parse_yaml_mapping

WARNINGS_FILE = "warnings.yaml"


@dataclass(frozen=True, slots=True)
class WarningTerm:
    term: str
    description: str
    aliases: tuple[str, ...] = ()


BUILT_IN: tuple[WarningTerm, ...] = (
    WarningTerm("abuse", "Mentions of abuse in general.", ("abusive relationships",)),
    WarningTerm("child abuse", "Harm done to a child.", ("childhood abuse", "ca")),
    WarningTerm("sexual assault", "Sexual violence, assault or abuse.",
                ("sa", "rape", "sexual abuse", "sexual violence", "csa")),
    WarningTerm("self-harm", "Hurting oneself.", ("sh", "self harm", "self injury")),
    WarningTerm("suicide", "Suicide or suicidal thoughts.",
                ("suicidal ideation", "si", "suicidal thoughts")),
    WarningTerm("dissociation", "Losing time, feeling unreal or outside oneself.",
                ("dissociating", "depersonalisation", "derealisation", "depersonalization",
                 "derealization")),
    WarningTerm("flashbacks", "Reliving past events, intrusive memories.",
                ("flashback", "intrusive memories")),
    WarningTerm("eating disorders", "Disordered eating, restriction, purging.",
                ("ed", "eating disorder", "disordered eating", "anorexia", "bulimia")),
    WarningTerm("body image", "Weight, size and how one sees one's body.",
                ("weight", "weight loss", "body shaming")),
    WarningTerm("death", "Death and dying.", ("dying",)),
    WarningTerm("grief", "Loss and mourning.", ("loss", "bereavement", "mourning")),
    WarningTerm("pregnancy loss", "Miscarriage, stillbirth, infertility.",
                ("miscarriage", "stillbirth", "infertility", "baby loss")),
    WarningTerm("substance use", "Drugs, addiction and relapse.",
                ("drugs", "drug use", "addiction", "relapse")),
    WarningTerm("alcohol", "Drinking and alcohol dependence.", ("drinking", "alcoholism")),
    WarningTerm("violence", "Physical violence.", ("physical violence", "assault")),
    WarningTerm("domestic violence", "Violence or control by a partner or family member.",
                ("dv", "ipv", "intimate partner violence", "family violence")),
    WarningTerm("emotional abuse", "Manipulation, gaslighting, coercive control.",
                ("gaslighting", "coercive control", "psychological abuse", "narcissistic abuse")),
    WarningTerm("family estrangement", "Distance or a break with family.",
                ("estrangement", "no contact")),
    WarningTerm("bullying", "Being bullied or harassed.", ("harassment",)),
    WarningTerm("panic attacks", "Panic, anxiety attacks and their symptoms.",
                ("panic", "anxiety attack", "anxiety")),
    WarningTerm("psychiatric hospitalisation", "Inpatient psychiatric care, sectioning.",
                ("psychiatric hospitalization", "inpatient", "hospitalisation",
                 "hospitalization", "sectioning")),
    WarningTerm("medical", "Hospitals, procedures, illness.", ("illness", "surgery")),
    WarningTerm("blood", "Blood and injuries.", ("injury", "injuries")),
    WarningTerm("needles", "Needles and injections.", ("injections",)),
    WarningTerm("vomiting", "Being sick.", ("emetophobia", "vomit")),
    WarningTerm("religious trauma", "Harm in or through religious communities.",
                ("spiritual abuse", "religious abuse")),
    WarningTerm("homophobia", "Hostility towards gay, lesbian and bisexual people.", ()),
    WarningTerm("transphobia", "Hostility towards trans people.", ()),
    WarningTerm("racism", "Racism and racial violence.", ()),
    WarningTerm("ableism", "Discrimination against disabled people.", ()),
    WarningTerm("police", "Police and the criminal justice system.", ("arrest", "court")),
    WarningTerm("stalking", "Being followed or watched.", ()),
    WarningTerm("profanity", "Strong language.", ("swearing", "language", "strong language")),
)


def normalise(term: str) -> str:
    return re.sub(r"[\s_]+", " ", term.strip().lower())


@dataclass(frozen=True)
class Vocabulary:
    terms: dict[str, WarningTerm]
    lookup: dict[str, str]  # normalised term or alias -> canonical term

    def resolve(self, written: str) -> str | None:
        return self.lookup.get(normalise(written))

    def suggest(self, written: str) -> str | None:
        guess = did_you_mean(normalise(written), self.lookup)
        return self.lookup[guess] if guess else None

    def description(self, term: str) -> str:
        known = self.terms.get(term)
        return known.description if known else ""


def build_vocabulary(terms: tuple[WarningTerm, ...] | list[WarningTerm]) -> Vocabulary:
    by_term: dict[str, WarningTerm] = {}
    for entry in terms:
        by_term[entry.term] = entry  # later entries (the site's) override built-in ones
    lookup: dict[str, str] = {}
    for entry in by_term.values():
        for alias in entry.aliases:
            lookup[normalise(alias)] = entry.term
    for entry in by_term.values():
        lookup[normalise(entry.term)] = entry.term  # a term always beats another's alias
    return Vocabulary(by_term, lookup)


def load_vocabulary(root: Path, diagnostics: Diagnostics) -> Vocabulary:
    path = root / WARNINGS_FILE
    if not path.is_file():
        return build_vocabulary(BUILT_IN)
    parsed = parse_yaml_mapping(path.read_text(encoding="utf-8"), path, what=WARNINGS_FILE)
    if not isinstance(parsed, YamlDocument):
        diagnostics.extend([parsed])
        return build_vocabulary(BUILT_IN)
    fields = FieldReader(parsed, diagnostics, ("terms",), WARNINGS_FILE)
    site_terms: list[WarningTerm] = []
    terms_map = fields.submapping("terms")
    for name, spec in (terms_map or {}).items():
        if spec is None:
            spec = LineMap()
            spec.key_lines, spec.line = {}, terms_map.key_lines[name]  # type: ignore[union-attr]
        if not isinstance(spec, LineMap):
            fields.error("terms", f"warning term `{name}` must have `description:` below it",
                         f"write `  {name}:` then `    description: ...`")
            continue
        term_fields = FieldReader(parsed, diagnostics, ("description", "aliases"),
                                  f"warning term `{name}`", mapping=spec)
        site_terms.append(WarningTerm(
            term=normalise(name),
            description=term_fields.string("description", "") or "",
            aliases=term_fields.string_list("aliases"),
        ))
    return build_vocabulary([*BUILT_IN, *site_terms])
