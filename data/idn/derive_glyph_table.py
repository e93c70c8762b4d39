#!/usr/bin/env python3
"""Writes data/idn/glyph_similarity.json: the glyph-similarity table of the string-similarity
panel (registry/src/idn/similarity.cpp). Two sources, each entry says which:

1. RZ-LGR-5's Common LGR (../shared/data/idn/rz-lgr-5/lgr-5-common-26may22-en.xml): every
   cross-script variant between two single Latin, Greek or Cyrillic code points. Its comment
   grades it: "Cross-script homoglyph" -> 1.0, "Cross-script near homoglyph" -> 0.8, no comment
   (a mapping added by transitivity during integration) -> 0.6.
2. The project's own judgements (JUDGEMENTS below) for pairs neither UTS #39 confusables nor the
   LGR list: upper-case letters (the LGR is lower case only) and a few lower-case near
   homoglyphs, graded 0.3 (a resemblance) to 1.0 (the same shape). These are judgements of
   typical sans-serif letter shapes, not measurements. Two pairs (Ю-U, Λ-A) are motivated by
   the upper-case concerns the 2014 Extended Process Similarity Review Panel raised about ЕЮ
   and ΕΛ, as we recall them from its public reports (not re-checked here); their notes say so.

Run: python3 data/idn/derive_glyph_table.py [path/to/lgr-5-common-26may22-en.xml]
"""
import json
import sys
import xml.etree.ElementTree as ET
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_LGR = HERE.parent.parent.parent / "shared/data/idn/rz-lgr-5/lgr-5-common-26may22-en.xml"
JUDGED = "rootsim judgement (typical sans-serif letter shapes; not measured)"

# (a, b, score, note)
JUDGEMENTS = [
    # Cyrillic lower case near homoglyphs of Latin letters
    ("п", "n", 0.8, ""), ("и", "u", 0.7, ""), ("ц", "u", 0.6, ""), ("ь", "b", 0.7, ""),
    ("б", "b", 0.7, ""), ("б", "6", 0.8, ""), ("ш", "w", 0.6, ""), ("щ", "w", 0.5, ""),
    ("к", "k", 0.8, ""), ("л", "n", 0.5, ""), ("т", "m", 0.5, "italic forms"),
    ("д", "g", 0.5, "italic forms"), ("ч", "y", 0.5, ""), ("ё", "e", 0.8, ""), ("ѓ", "r", 0.7, ""),
    ("й", "u", 0.6, ""), ("ы", "b", 0.5, ""), ("ю", "o", 0.5, ""), ("я", "r", 0.5, ""),
    ("в", "b", 0.6, ""), ("м", "m", 0.7, ""), ("н", "h", 0.6, ""),
    # Greek lower case near homoglyphs of Latin letters
    ("μ", "u", 0.7, ""), ("τ", "t", 0.6, ""), ("ω", "w", 0.8, ""), ("ε", "e", 0.6, ""),
    ("κ", "k", 0.8, ""), ("χ", "x", 0.9, ""), ("σ", "o", 0.7, ""), ("π", "n", 0.7, ""),
    ("θ", "o", 0.5, ""), ("λ", "a", 0.4, ""), ("ζ", "z", 0.5, ""), ("δ", "d", 0.4, ""),
    ("β", "b", 0.6, ""), ("ψ", "w", 0.4, ""),
    # Greek and Cyrillic lower case against each other
    ("λ", "л", 0.6, ""), ("π", "п", 0.9, ""), ("γ", "г", 0.5, ""), ("μ", "м", 0.5, ""),
    ("η", "п", 0.6, ""), ("ε", "є", 0.8, ""), ("σ", "о", 0.7, ""),
    # upper case: Cyrillic against Latin
    ("Б", "B", 0.6, ""), ("Г", "F", 0.5, ""), ("Г", "T", 0.5, ""), ("Д", "A", 0.5, ""),
    ("И", "N", 0.6, "mirror image"), ("Я", "R", 0.6, "mirror image"), ("Л", "A", 0.5, ""),
    ("Л", "N", 0.4, ""), ("П", "N", 0.5, ""), ("П", "H", 0.4, ""), ("Ц", "U", 0.6, ""),
    ("Ш", "W", 0.6, ""), ("Щ", "W", 0.5, ""), ("Ь", "B", 0.6, ""), ("Ъ", "B", 0.5, ""),
    ("Є", "E", 0.7, ""), ("Э", "E", 0.4, ""), ("Ё", "E", 0.8, ""), ("Ж", "X", 0.4, ""),
    ("Ч", "Y", 0.4, ""), ("У", "Y", 0.9, ""), ("Ю", "U", 0.6,
     "motivated by the 2014 EPSRP upper-case concern about ЕЮ (recalled, not re-checked)"),
    ("Ю", "O", 0.5, ""), ("Й", "N", 0.5, ""), ("Ф", "O", 0.4, ""),
    # upper case: Greek against Latin
    ("Λ", "A", 0.7, "motivated by the 2014 EPSRP upper-case concern about ΕΛ (recalled, not re-checked)"),
    ("Γ", "F", 0.5, ""), ("Γ", "T", 0.5, ""), ("Π", "N", 0.5, ""), ("Π", "H", 0.4, ""),
    ("Σ", "E", 0.6, ""), ("Δ", "A", 0.6, ""), ("Ξ", "E", 0.5, ""), ("Θ", "O", 0.8, ""),
    ("Ω", "O", 0.4, ""), ("Φ", "O", 0.4, ""), ("Ψ", "Y", 0.4, ""), ("Υ", "Y", 1.0, ""),
    # upper case: Greek against Cyrillic
    ("Λ", "Л", 0.8, ""), ("Π", "П", 1.0, ""), ("Γ", "Г", 1.0, ""), ("Φ", "Ф", 1.0, ""),
    ("Δ", "Д", 0.7, ""), ("Ψ", "Ч", 0.3, ""),
]


def script(cp):
    return unicodedata.name(chr(cp), "?").split()[0]


def lgr_pairs(path):
    ns = {"lgr": "urn:ietf:params:xml:ns:lgr-1.0"}
    root = ET.parse(path).getroot()
    grade = {"Cross-script homoglyph": 1.0, "Cross-script near homoglyph": 0.8, "": 0.6}
    out = {}
    for char in root.iterfind("lgr:data/lgr:char", ns):
        cps = char.get("cp").split()
        if len(cps) != 1:
            continue
        a = int(cps[0], 16)
        if script(a) not in ("LATIN", "GREEK", "CYRILLIC"):
            continue
        for var in char.iterfind("lgr:var", ns):
            vcps = var.get("cp").split()
            if len(vcps) != 1:
                continue
            b = int(vcps[0], 16)
            if script(b) not in ("LATIN", "GREEK", "CYRILLIC") or script(a) == script(b):
                continue
            comment = var.get("comment", "")
            if comment not in grade:
                continue
            key = (min(a, b), max(a, b))
            score = grade[comment]
            source = "RZ-LGR-5 Common LGR: " + (comment.lower() if comment else
                                                "cross-script variant by transitivity")
            if key not in out or out[key][0] < score:
                out[key] = (score, source)
    return out


def main():
    lgr = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_LGR
    pairs = {k: v for k, v in lgr_pairs(lgr).items()}
    for a, b, score, note in JUDGEMENTS:
        key = (min(ord(a), ord(b)), max(ord(a), ord(b)))
        if key not in pairs:
            pairs[key] = (score, JUDGED + (": " + note if note else ""))
    doc = {
        "schema": 1,
        "description": "Visual similarity of Latin, Greek and Cyrillic letter pairs for the "
                       "string-similarity panel; written by data/idn/derive_glyph_table.py",
        "pairs": [{"a": chr(a), "b": chr(b), "score": s, "source": src}
                  for (a, b), (s, src) in sorted(pairs.items())],
    }
    out = HERE / "glyph_similarity.json"
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{out}: {len(doc['pairs'])} pairs")


if __name__ == "__main__":
    main()
