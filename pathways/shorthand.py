"""Practitioners' shorthand spelt out, for the sentence-embedding model and
for the similarity layer's word features.

The embedding model (``pathways.embedding``) learned English from the web: it
knows "overdose" and "domestic violence", not "OD" or "DV". Before a clause
is embedded, the abbreviations health visitors, midwives and social care
write (listed with sources in the project's language notes) are spelt out.
Only abbreviations with one clear meaning in these notes are listed: "FM"
(forced marriage or fetal movements), "NFA" (no further action or no fixed
abode), "mash" (brew tea, or the safeguarding hub), "BF" (breastfeeding or
boyfriend), and "an"/"oh", which are also English words, are left as written.
The curated phrases do not use this: they are written in the practitioners'
own shorthand.
"""

from __future__ import annotations

import re
from typing import Final

SPELT_OUT: Final[dict[str, str]] = {
    # people and services
    "hv": "health visitor", "hvs": "health visitors", "mw": "midwife", "cmw": "midwife",
    "fsw": "family support worker", "sw": "social worker", "lp": "lead practitioner",
    "gp": "doctor", "fnp": "family nurse", "idva": "domestic violence adviser",
    "isva": "sexual violence adviser", "pmht": "perinatal mental health team",
    "mbu": "mother and baby unit", "cmht": "mental health team", "crht": "crisis team",
    "csc": "childrens social care", "ifd": "social care front door", "cp": "child protection",
    "cpp": "child protection plan", "cin": "child in need", "marac": "high risk domestic abuse",
    "dash": "domestic abuse risk", "nbv": "new birth visit",
    # family
    "lo": "baby", "bby": "baby", "babby": "baby", "bairn": "baby", "bub": "baby",
    "bubba": "baby", "dp": "partner", "mil": "mother in law",
    "ds": "son", "dd": "daughter", "sibs": "siblings", "gm": "grandmother",
    # mental health and risk
    "pnd": "postnatal depression", "pnmh": "postnatal mental health",
    "ppp": "postpartum psychosis", "epds": "depression score", "sh": "self harm",
    "dsh": "deliberate self harm", "si": "suicidal thoughts", "od": "overdose",
    "ods": "overdoses", "odd": "overdosed", "dv": "domestic violence", "da": "domestic abuse",
    "hbv": "honour based violence", "hba": "honour based abuse", "fgm": "female genital mutilation",
    "nai": "non accidental injury", "aht": "abusive head trauma", "csa": "child sexual abuse",
    "sa": "sexual assault", "sids": "sudden infant death", "sudi": "sudden infant death",
    "etoh": "alcohol", "bpd": "personality disorder", "ocd": "obsessive compulsive",
    # pregnancy and birth
    "rfm": "reduced baby movements", "fmf": "baby movements felt", "pph": "heavy bleeding",
    "aph": "bleeding in pregnancy", "pv": "vaginal", "srom": "waters broke",
    "nicu": "neonatal intensive care", "scbu": "special care baby unit", "nnu": "neonatal unit",
    "emcs": "emergency caesarean", "lscs": "caesarean", "edd": "due date",
    "ebf": "breastfeeding", "ff": "formula feeding", "pn": "postnatal",
    # note-taking
    "hx": "history of", "c/o": "complains of", "o/e": "on examination", "nad": "nothing wrong",
    "wnb": "not brought", "dna": "did not attend", "yo": "year old", "wk": "week",
    "wks": "weeks", "mth": "month", "mths": "months", "mnths": "months", "ppl": "people",
    "poss": "possibly", "prob": "probably", "thx": "thanks", "r/v": "review",
    # dialect (West Yorkshire and general)
    "owt": "anything", "nowt": "nothing", "summat": "something", "poorly": "ill",
    "mardy": "moody", "mithering": "fretful", "clemmed": "starving",
}
_WORD_RE: Final = re.compile(r"[a-z]+/[a-z]+|[a-z]+")


def spell_out(folded: str) -> str:
    """``folded`` (lower case, as ``pathways.text.fold`` gives) with known
    shorthand spelt out: "hx od, dv ongoing" -> "history of overdose, domestic
    violence ongoing"."""
    return _WORD_RE.sub(lambda m: SPELT_OUT.get(m.group(0), m.group(0)), folded)
