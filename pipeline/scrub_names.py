"""Personal names in Japanese free text: the name-like word before a honorific or house word, or after a
cue word ('通報者：'), becomes '[個人名]'. Used by pipeline.scrub on text that is already NFKC-clean.

Japanese has no spaces, so the 'name' is the run of kanji (or katakana, or Latin letters) right before
the honorific; when that run is a role or an ordinary word ('業者さん', '皆様', '一方', '自宅') it stays.
"""

import re

from .scrub_bare import is_common_word
from .scrub_latin import LATIN_HINT, replace_latin_names
from .scrub_words import (
    GIVEN_NAMES,
    HIRAGANA_STOPS,
    HOUSE_STOPS,
    KATAKANA_ROLES,
    NAME_CUES,
    NOT_TITLE_AFTER,
    PLACE_CHARS,
    ROLE_CHAR_SURNAMES,
    ROLE_CHARS,
    ROLE_SUFFIXES,
    SELF_INTRO,
    SINGLE_STOPS,
    SURNAMES,
)

NAME = "[個人名]"
_EXCLUDED = {ord(ch) for ch in "様殿宅邸"}  # never part of a name, always the title after it
_KANJI_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


def _kanji_class() -> str:
    parts: list[str] = []
    for lo, hi in _KANJI_RANGES:
        start = lo
        for cp in sorted(c for c in _EXCLUDED if lo <= c <= hi):
            parts.append(f"{chr(start)}-{chr(cp - 1)}")
            start = cp + 1
        parts.append(f"{chr(start)}-{chr(hi)}")
    return "[" + "".join(parts) + "々〆ヶ]"


K = _kanji_class()
KATA = "[ァ-ヺ][ァ-ヺー]"
_STEM = (rf"(?P<kanji>{K}{{1,6}}(?: ?{K}{{1,4}})?)"
         rf"|(?P<kata>{KATA}{{1,11}}(?: ?{KATA}{{1,11}})?)"
         r"|(?P<latin>(?<![A-Za-z])[A-Za-z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+)?)")
_HONORIFIC = re.compile(rf"(?:{_STEM})?(?P<sp> ?)(?P<hon>先生|さま|さん|くん|ちゃん|様|氏|君|殿|宅|邸|方|家)")
_CUE = re.compile(rf"(?P<cue>{'|'.join(NAME_CUES)}) ?[:：=「『]? ?(?:は ?)?"
                  rf"(?P<name>{K}{{2,4}}(?: ?{K}{{1,4}})?|{KATA}{{2,11}}(?: ?{KATA}{{1,11}})?"
                  r"|[A-Za-z][A-Za-z'\-]+(?: [A-Za-z][A-Za-z'\-]+)?)")
# A name with its reading in brackets before a honorific: '久保田 一馬(クボタ カズマ)様', '佐藤(さとう)さん'.
_READING_TITLE = re.compile(rf"(?:{K}{{1,6}}(?: ?{K}{{1,4}})?|{KATA}{{1,11}}(?: ?{KATA}{{1,11}})?|"
                            r"[A-Za-z][A-Za-z'\-]+(?: [A-Za-z][A-Za-z'\-]+)?) ?\([ぁ-ゖァ-ヺー ・A-Za-z]+\) ?"
                            r"(?=先生|さま|さん|くん|ちゃん|様|氏|君|殿)")
_TITLE = re.compile(r"(?<![A-Za-z])(?:Mr|Mrs|Ms|Miss|Dr|Prof|Mx)\.? ?[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,3}")
# A name written with a space between its characters before a honorific: '山 田 太 郎 様' is read as '山田太郎様'.
_SPACED = re.compile(rf"(?<!{K})((?:{K} ){{1,5}}{K}) ?(?=先生|さま|さん|くん|ちゃん|様|氏|君|殿)")
# Katakana honorifics ('小早川サン', 'ヤマダクン') and 殿 written in kana ('長谷部どのより'), which the main rule
# leaves to words: the katakana ones only where no katakana follows ('サンダル'), どの only before a particle
# ('どの道' is 'which road').
_KANA_TITLE = re.compile(rf"(?<!{K})({K}{{1,6}}|{KATA}{{1,11}})(?:(サン|サマ|クン|チャン)(?![ァ-ヺー])"
                         r"|(どの)(?=より|から|が|は|に|、|。| |$))")
# A surname with a resident's role in brackets: '田中(自治会長)', '佐藤(区長)'.
_ROLE_AFTER = re.compile(rf"(?<!{K}){K}{{1,4}}(?= ?\((?:自治会長|町内会長|自治会役員|副会長|会長|区長|班長|組長|"
                         r"役員|代表|民生委員|理事|世話人|評議員|老人会長|子供会長|婦人会長)\))")
# A name before its former surname in brackets: '新井(旧姓 高柳)さん' (the bracket's name goes by the cue 旧姓).
_BEFORE_MAIDEN = re.compile(rf"(?<!{K}){K}{{1,4}}(?= ?\(旧姓)")
# '市役所(代表)' is an office's main line, not a person's role.
_BODY_ENDS = frozenset("所課局部会署社店館校院庁園")
# A surname left before a given name already replaced, where a household or person follows: '喜屋武[個人名]の家'.
_SURNAME_BEFORE = re.compile(rf"(?<!{K}){K}{{2,3}}"
                             r"(?=\[個人名\](?:の家|の自宅|の宅|宅|さん|様|さま|氏|の車|の畑|の敷地|の土地))")
_FULL_NAME = re.compile(
    "(?:" + "|".join(sorted(SURNAMES, key=lambda n: (-len(n), n))) + ") ?(?:"
    + "|".join(sorted(GIVEN_NAMES, key=lambda n: (-len(n), n))) + f")(?!{K})")
_INTRO = re.compile(rf"{K}{{1,6}}(?= ?(?:{'|'.join(SELF_INTRO)}))")
_SURNAME_ALT = "|".join(sorted(SURNAMES, key=lambda n: (-len(n), n)))
# A known surname before a job title or 宛 ('藤井課長', '原田係長', '大西宛'): a person, where '道路課長' is a post.
_SURNAME_POST = re.compile(rf"(?<!{K})(?:{_SURNAME_ALT})(?= ?(?:課長|係長|部長|主任|主査|主事|技師|所長|室長|次長|局長|"
                           r"議員|宛))"
                           # '山本の件': a surname of two or more kanji ('林の件' may be a grove's)
                           rf"|(?<!{K})(?:{'|'.join(n for n in _SURNAME_ALT.split('|') if len(n) > 1)})(?=の件)")
# A bare surname right next to a phone number or e-mail address: '連絡先 090-… 山本', '山本 090-…'.
_NEAR_CONTACT = re.compile(
    rf"(?:(?<=\[電話番号\])|(?<=\[メール\]))( ?[(:]? ?)((?:{_SURNAME_ALT}){K}{{0,3}})(?!{K})"
    rf"|(?<!{K})((?:{_SURNAME_ALT}){K}{{0,3}})( ?[(:、,]? ?)(?=\[電話番号\]|\[メール\])")
# The reading of a name in brackets right after it: '[個人名](さとう はなこ)様'.
_READING = re.compile(r"\[個人名\] ?\((?:[ぁ-ゖァ-ヺー ・]+|\[個人名\])\)")
# A foreign given name joined to the name found after it: 'マイケル・[個人名]さん', 'ジョン=[個人名]'.
_FOREIGN_GIVEN = re.compile(r"[ァ-ヺー]{2,12}[・=]\[個人名\]")
_HIRAGANA_RUN = re.compile(r"[ぁ-ゖー]+$")
_PARTICLES = frozenset("がのはをにへともでやねよかまだ")
_TITLE_HIRAGANA = frozenset({"さん", "さま", "くん", "ちゃん", "様", "氏", "君", "殿"})
# '山田の奥さん', '中村のおばあちゃん': a surname, then の and a family word, names a household.
_FAMILY = re.compile(rf"({K}{{2,6}}|{KATA}{{2,11}})(?=の(?:奥さん|奥様|ご主人|旦那|息子|娘|お母さん|お父さん|"
                     r"おばあ|おじい|お婆|お爺|お宅|家族|ご家族|家の|子供|子ども|お子|孫|嫁|お嫁))")


def _has_surname(stem: str, rest: int = 3) -> bool:
    """True when the stem holds a known surname of 2+ kanji, followed by at most `rest` kanji."""
    for size in (4, 3, 2):
        for i in range(max(0, len(stem) - size - rest), len(stem) - size + 1):
            if stem[i:i + size] in SURNAMES:
                return True
    return False


def _intro(stem: str) -> bool:
    """'藤井恵子' (before です) is a name: a known surname, then nothing or a given name, not a place."""
    for size in (4, 3, 2):
        for i in range(0, len(stem) - size + 1):
            if stem[i:i + size] in SURNAMES:
                rest = stem[i + size:]
                return len(rest) <= 3 and not (rest and rest[-1] in PLACE_CHARS) and not is_role(stem)
    return False


def is_role(stem: str) -> bool:
    """'業者', '利用者', '道路課', '電気屋', '皆': a role, group or office, not a person's name."""
    if any(stem.endswith(s) for s in ROLE_CHAR_SURNAMES):
        return False
    return stem in SINGLE_STOPS or stem[-1] in ROLE_CHARS or any(stem.endswith(s) for s in ROLE_SUFFIXES)


def _is_name(m: re.Match[str], nxt: str) -> bool:
    hon = m["hon"]
    if nxt in NOT_TITLE_AFTER.get(hon, ()):
        return False
    if m["latin"]:
        return True
    if m["kata"]:
        stem = m["kata"].replace(" ", "")
        return hon not in ("方", "家") and stem not in KATAKANA_ROLES and not is_common_word(stem)
    stem = m["kanji"].replace(" ", "")
    if is_common_word(stem):
        return False
    if hon in ("方", "家"):
        return _has_surname(stem) and not is_role(stem)
    if hon in ("宅", "邸"):
        # why: a known surname right before 宅 is a household even when it ends like a house word ('山本宅',
        # '松本邸' end in 本 as '本宅' does)
        return not is_role(stem) and (_has_surname(stem, 0) or not any(stem.endswith(s) for s in HOUSE_STOPS))
    return not is_role(stem)


def _unsure(text: str, m: re.Match[str], nxt: str) -> bool:
    """A hiragana word before さん/さま/くん/ちゃん may be a name written in kana ('やまださん')."""
    if m["hon"] not in _TITLE_HIRAGANA or (m["hon"] == "ちゃん" and nxt == "と"):
        return False
    if "\u3041" <= nxt <= "\u3096" and nxt not in _PARTICLES:
        return False
    before = _HIRAGANA_RUN.search(text, 0, m.start())
    if before is None or len(before.group(0)) < 2:
        return False
    return not before.group(0).endswith(HIRAGANA_STOPS)


class _Names:
    """The replacements of replace_names, counting the names replaced and noting an unsure honorific."""

    def __init__(self) -> None:
        self.count = 0
        self.unsure = False
        self.text = ""  # the text the honorific pass runs over (it looks at the character after a match)

    def cue(self, m: re.Match[str]) -> str:
        name = m["name"].replace(" ", "")
        if is_role(name) or name in KATAKANA_ROLES:
            return m.group(0)
        self.count += 1
        return m.group(0)[: m.start("name") - m.start()] + NAME

    def honorific(self, m: re.Match[str]) -> str:
        nxt = self.text[m.end(): m.end() + 1]
        if not (m["kanji"] or m["kata"] or m["latin"]):
            self.unsure = self.unsure or _unsure(self.text, m, nxt)
            return m.group(0)
        if not _is_name(m, nxt):
            return m.group(0)
        self.count += 1
        return NAME + m["sp"] + m["hon"]

    def title(self, _m: re.Match[str]) -> str:
        self.count += 1
        return NAME

    def intro(self, m: re.Match[str]) -> str:
        if not _intro(m.group(0)):
            return m.group(0)
        self.count += 1
        return NAME

    def near(self, m: re.Match[str]) -> str:
        word = m[2] or m[3]
        if is_role(word) or word[-1] in PLACE_CHARS:
            return m.group(0)
        self.count += 1
        return (m[1] or "") + NAME + (m[4] or "")

    def family(self, m: re.Match[str]) -> str:
        word = m.group(1)
        katakana = "\u30a1" <= word[0] <= "\u30fa"
        if not (_intro(word) or (katakana and word not in KATAKANA_ROLES)):
            return m.group(0)
        self.count += 1
        return NAME


def replace_names(text: str) -> tuple[str, int, bool]:
    """Text -> (text with '[個人名]', names replaced, True if a honorific was left that may hide a name)."""
    names = _Names()
    if " " in text:
        text = _SPACED.sub(lambda m: m[1].replace(" ", ""), text)
    text = _KANA_TITLE.sub(lambda m: names.title(m) + (m[2] or m[3]), text)
    if "(" in text:
        text = _ROLE_AFTER.sub(lambda m: m[0] if m[0][-1] in _BODY_ENDS else names.title(m), text)
        text = _BEFORE_MAIDEN.sub(names.title, text)
    if LATIN_HINT.search(text):
        text, latin = replace_latin_names(text, NAME)
        names.count += latin
    text = _READING_TITLE.sub(names.title, text)
    text = _TITLE.sub(names.title, text)
    text = _FAMILY.sub(names.family, text)
    if "[電話番号]" in text or "[メール]" in text:
        text = _NEAR_CONTACT.sub(names.near, text)
    text = _FULL_NAME.sub(names.title, text)
    text = _INTRO.sub(names.intro, text)
    text = _SURNAME_POST.sub(names.title, text)
    text = _CUE.sub(names.cue, text)
    names.text = text
    text = _HONORIFIC.sub(names.honorific, text)
    text = _FOREIGN_GIVEN.sub(NAME, _READING.sub(NAME, text))
    if NAME in text:
        text = _SURNAME_BEFORE.sub(names.title, text).replace(NAME + NAME, NAME)
    return text, names.count, names.unsure
