"""Personal data written in Latin script: romanised Japanese names ('Kenji Sato', 'SATO Kenji', 'Sato-san'),
names after an English cue ('my name is John Smith', 'reported by …'), and street addresses as Open311
bodies abroad write them ('123 Halsey Street, Brooklyn, NY 11216', '827 Garden St.').

A romanised name is told from English words by its shape, not by a list: every Japanese name splits into
the syllables of Hepburn or Kunrei romanisation ('Ke-n-ji', 'Sa-to', 'Ha-t-to-ri', 'O-h-no'), while most
English words ('Street', 'Garden', 'Water', 'Public') do not. Two such words in a row, each capitalised
or written in capitals, are a name; one alone ('Hoboken', 'Monroe') is not, so that place names stay.

A street address loses its house number ('[番地] Halsey Street'): the street, like a town or a chome, holds
many households, the number one. A ZIP code after a state's two letters goes too ('NY [郵便番号]').
"""

import re

# One syllable: an optional doubled consonant, a consonant (cluster), a vowel; or a syllabic n/m; 'h' after
# a vowel marks a long vowel ('Ohno', 'Satoh').
_SYLLABLE = (r"(?:(?:kk|ss|tt|pp|cc|tc)?(?:sh|ch|ts|[kgsztdnhbpmr]y|[kgsztdnhbpmrfjwy])?[aeiouâêîôûāēīōū]h?"
             r"|n(?![aeiouy])|m(?=[bmp]))")
_ROMAJI = re.compile(rf"(?:{_SYLLABLE})+", re.I)
_WORD = r"(?:[A-Z][a-zâêîôûāēīōū]+(?:['\-][a-zâêîôûāēīōū]+)?|[A-ZÂÊÎÔÛĀĒĪŌŪ]{2,})"
_PAIR = re.compile(rf"(?<![A-Za-z0-9\-'])({_WORD})(?:\s|,\s?)({_WORD})(?![A-Za-z0-9\-'âêîôûāēīōū])")
_SUFFIXED = re.compile(r"(?<![A-Za-z])[A-Z][a-z]+[- ](?:san|sama|kun|chan|sensei)(?![a-z])")
# English cues after which one to three capitalised words are a name; a Latin name written in Japanese
# text right before a particle or a self-introduction ('John Smithから電話', 'Maria Garciaです').
# why: romanized Japanese names carry macrons ('Shōta Ōno'); Latin-1 and Extended-A letters are letters of a name
_NAME = r"[A-ZÀ-ÖØ-ÞĀ-ž][a-zß-öø-ÿā-ž'\-]+(?: [A-Z]\.)?(?: [A-ZÀ-ÖØ-ÞĀ-ž][a-zß-öø-ÿā-ž'\-]+){0,2}"
_CUE = re.compile(r"(?:\b(?:[Mm]y name is|[Mm]y name's|[Nn]ame:|[Cc]aller:?|[Cc]ontact(?: person)?:|[Rr]eported by|"
                  rf"[Ss]ubmitted by|[Ss]incerely,?|[Rr]egards,?)\s)({_NAME})"
                  r"|(?:\b(?:Thank you|Thanks|Best|Cheers),?\s)"
                  r"([A-Z][a-z'\-]+(?: [A-Z]\.)? [A-Z][a-z'\-]+)(?![A-Za-z])")
# A signature: a first and last name right before an address or a phone number ('Carl Feinberg 1000 Hudson St').
_SIGNATURE = re.compile(r"(?<![A-Za-z])[A-Z][a-z'\-]+(?: [A-Z]\.)? [A-Z][a-z'\-]+,?\s?"
                        r"(?=\[番地\]|\[電話番号\]|\[メール\])")
_BEFORE_PARTICLE = re.compile(r"(?<![A-Za-z])[A-Z][a-z'\-]+(?: [A-Z]\.)? [A-Z][a-z'\-]+"
                              r"(?=\s?(?:から|より|が|は|です|と申し|といいます|と言います))")
# A first and last name as the subject of what a person does ('John Smith called about the light'), or after
# a verb of reaching a person ('please call John Smith').
_PERSON_VERBS = (r"called|calls|reported|reports|said|says|complained|asked|asks|lives|lived|phoned|emailed|wrote|"
                 r"noticed|saw|tripped|fell|visited|requested|mentioned|told|owns|walks|drives")
_SUBJECT = re.compile(r"(?<![A-Za-z])[A-Z][a-z'\-]+(?: [A-Z]\.)? [A-Z][a-z'\-]+"
                      rf"(?=,? (?:(?:also|again|just|has|had|who|, who) )?(?:{_PERSON_VERBS})\b)")
_OBJECT = re.compile(r"(?<![A-Za-z])((?:[Cc]all|[Cc]ontact|[Aa]sk for|[Ee]mail|[Pp]hone|[Tt]ext|[Nn]eighbou?r|"
                     r"[Rr]esident|[Oo]wner|[Ll]andlord|[Tt]enant|from|by|with|[Tt]hanks to)\s)"
                     r"([A-Z][a-z'\-]+(?: [A-Z]\.)? [A-Z][a-z'\-]+)(?![A-Za-z])")
_NOT_NAMES = frozenset({"The", "This", "That", "There", "It", "Please", "Hoboken", "Chicago", "City"})

_STREET_TYPES = (r"Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|"
                 r"Terrace|Ter|Way|Highway|Hwy|Parkway|Pkwy|Circle|Cir|Square|Sq|Alley|Plaza|Trail|Crescent")
_FUNCTION_WORDS = r"(?:on|in|at|the|of|and|or|near|to|from|by|for|with|a|an|is|are|was|between|across)"
_STREET_WORD = rf"(?!{_FUNCTION_WORDS}\b)(?:[NSEW]\.?|\d{{1,3}}(?:st|nd|rd|th|ST|ND|RD|TH)|[A-Za-z][A-Za-z'\-]*)"
_STREET = re.compile(
    rf"(?<![\w\-.,])(\d{{1,6}}[A-Za-z]?(?:-\d{{1,5}})?)(\s+(?:{_STREET_WORD}\s+){{1,3}}(?:{_STREET_TYPES})\b\.?)"
    r"(?:(\s?,?\s?(?:#|No\.?\s?)\s?)(\d{1,5}[A-Za-z]?)(?![\w]))?",
    re.I)
# Without a street type after a place preposition: 'in front of 730 Washington', 'near 12 Park'.
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*"
_AT_NUMBER = re.compile(r"(?<![A-Za-z])((?:at|of|near|by|outside|opposite|behind|across from|next to)\s)"
                        rf"(\d{{1,5}}[A-Za-z]?)(?=\s(?!{_MONTHS}\b)[A-Z][a-z]+)")
_UNIT = re.compile(r"(?<![A-Za-z])((?:Apt|Apartment|Unit|Suite|Ste|Fl|Flat|Floor|Rm|Room|P\.?\s?O\.?\s?Box)\.?\s?#?\s?)"
                   r"([0-9]+[A-Za-z]?)"
                   r"(?![\w])", re.I)
# A Japanese address in romaji: the block and lot after a chome ('3-chome 12-ban 5-go'; the chome stays, as 3丁目).
_CHOME_LOT = re.compile(r"(?<=ch[oō]me)([\s,]*)\d{1,4}-?ban(?:[\s,]*\d{1,4}(?:-?g[oō])?)?(?![A-Za-z\d])", re.I)
_ZIP = re.compile(r"(?<![A-Za-z])((?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|"
                  r"O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY]),?\s)(\d{5}(?:-\d{4})?)(?!\d)")
_PLACE_WORD = re.compile(rf"(?:{_STREET_TYPES}|Apt|Apartment|Unit|Suite|Floor|Room|Park|Station|Hall|"
                         r"Building|Bridge|Center|Centre|School|Church|Hospital|Department|Dept|Works|City|"
                         r"County|Management|Services|Office|Company|Inc|Corp|Authority|Transit|Police|Fire)",
                         re.I)
LATIN_HINT = re.compile(r"[A-Za-z]")


def is_romaji(word: str) -> bool:
    """True when a Latin word splits into Japanese syllables ('Kenji', 'SATO', 'Hattori', 'Ohno')."""
    word = word.replace("'", "").replace("-", "")
    return len(word) >= 2 and _ROMAJI.fullmatch(word) is not None


TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Mx"})


class _LatinNames:
    """The replacements of replace_latin_names, each counting the names it replaces."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    def pair(self, m: re.Match[str]) -> str:
        if not (is_romaji(m[1]) and is_romaji(m[2])) or len(m[1]) + len(m[2]) < 5:
            return m.group(0)
        self.count += 1
        return self.name

    def suffixed(self, m: re.Match[str]) -> str:
        self.count += 1
        cut = m.group(0).rfind(" ") if "-" not in m.group(0) else m.group(0).index("-")
        return self.name + m.group(0)[cut:]

    def cue(self, m: re.Match[str]) -> str:
        group = 1 if m[1] else 2
        # why: 'by Dr. Aiko Nakamura-Brown': the title's rule takes the title with the whole name after it
        if m[group].split(" ")[0] in _NOT_NAMES or m[group].split(" ")[0].rstrip(".") in TITLES:
            return m.group(0)
        self.count += 1
        return m.group(0)[: m.start(group) - m.start()] + self.name

    def whole(self, m: re.Match[str]) -> str:
        self.count += 1
        return self.name + (" " if m.group(0).endswith(" ") else "")

    def signature(self, m: re.Match[str]) -> str:
        words = re.findall(r"[A-Za-z'\-]+", m.group(0))
        if any(_PLACE_WORD.fullmatch(w) for w in words):
            return m.group(0)
        return self.whole(m)

    def place_checked(self, m: re.Match[str], group: int = 0) -> str:
        words = re.findall(r"[A-Za-z'\-]+", m[group])
        if any(_PLACE_WORD.fullmatch(w) for w in words) or words[0] in _NOT_NAMES:
            return m[group]
        self.count += 1
        return self.name


def replace_latin_names(text: str, name: str) -> tuple[str, int]:
    """Text -> (text with `name` for each romanised name pair, 'X-san' and name after an English cue, count)."""
    names = _LatinNames(name)
    text = _SUFFIXED.sub(names.suffixed, text)
    text = _PAIR.sub(names.pair, text)
    text = _CUE.sub(names.cue, text)
    text = _BEFORE_PARTICLE.sub(names.whole, text)
    text = _SUBJECT.sub(names.place_checked, text)
    text = _OBJECT.sub(lambda m: m[1] + names.place_checked(m, 2).lstrip(), text)
    if "[" in text:
        text = _SIGNATURE.sub(names.signature, text)
    return text, names.count


def replace_latin_addresses(text: str, address: str, postal: str) -> tuple[str, int, int]:
    """Text -> (text with `address` for house and unit numbers and `postal` for ZIP codes, counts)."""
    addresses = postcodes = 0

    def street(m: re.Match[str]) -> str:
        nonlocal addresses
        addresses += 1
        return address + m[2] + (m[3] + address if m[4] else "")

    def unit(m: re.Match[str]) -> str:
        nonlocal addresses
        addresses += 1
        return m[1] + address

    def zip_code(m: re.Match[str]) -> str:
        nonlocal postcodes
        postcodes += 1
        return m[1] + postal

    text = _STREET.sub(street, text)
    text = _CHOME_LOT.sub(unit, text)
    text = _AT_NUMBER.sub(unit, text)
    text = _UNIT.sub(unit, text)
    text = _ZIP.sub(zip_code, text)
    return text, addresses, postcodes
