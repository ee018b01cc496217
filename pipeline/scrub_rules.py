"""The scrubber's replacement rules (step 3 of pipeline/scrub.py): patterns, in a fixed order, that put a
visible placeholder where personal data was. `replace_all` runs them once over a cleaned text."""

import re
from functools import lru_cache

from .gazetteer import load_places
from .scrub_bare import replace_bare_names, replace_context_names
from .scrub_clean import clean
from .scrub_latin import LATIN_HINT, replace_latin_addresses
from .scrub_names import replace_names
from .scrub_spelled import DAIJI, DASH, KANA_NUMBER, KANJI_DASH, KANJI_DIGITS, spelled_out
from .scrub_spelled import HYPHEN as _HYPHEN

KINDS: tuple[str, ...] = ("phone", "email", "postal_code", "address", "person_name", "plate",
                          "individual_number", "url", "birth_date", "age", "coordinates")
PLACEHOLDERS: dict[str, str] = {
    "phone": "[電話番号]", "email": "[メール]", "postal_code": "[郵便番号]", "address": "[番地]",
    "person_name": "[個人名]", "plate": "[ナンバー]", "individual_number": "[番号]", "url": "[URL]",
    "birth_date": "[生年月日]", "age": "[年齢]", "coordinates": "[座標]",
}


# --- 3. patterns ------------------------------------------------------------------------------------

# why: '、' and '局' split phone numbers too ('090、8765、4321', '(0834)22局6677番'), as does the hyphen bullet '⁃'
_SEP = f"[{DASH}\\s.()・、⁃局]"
_NUM = f"(?:\\d+|[{KANJI_DIGITS}{DAIJI}十百千拾]+)"
_UNITS = ("日|回|本|個|台|件|人|名|時|分|秒|月|年|週|歳|才|枚|株|度|倍|円|箇所|か所|カ所|ヶ所|ケ所|号線|系統|"
          "番線|m|km|cm|mm|%|メートル|センチ|キロ|ミリ|トン|t|kg|便|区|班|組|丁目|番目|番地|階|F|車線|条|項")

# why: '路線番号1234', '街灯番号 15-23' name roads and lamps; '番号' after these is no phone cue.
_NOT_AFTER_ASSET = "".join(f"(?<!{w})" for w in ("路線", "管理", "街灯", "電柱", "整理", "工事", "契約", "受付",
                                                  "案件", "事業", "施設", "橋梁", "設備", "台帳", "区画", "図面"))
_URL = re.compile(r"(?:(?:https?|ftp|javascript|vbscript|data):|www\.)[^\s<>\"'「」『』【】、。]*", re.I)
_AT = r"(?:@|\s?[(\[]\s?at?\s?[)\]]\s?|\s?アットマーク\s?|\s?あっとまーく\s?)"
_EMAIL = re.compile(rf"[A-Za-z0-9._%+\-]+{_AT}[A-Za-z0-9\-]+(?:\s?\.\s?[A-Za-z0-9\-]+)+", re.I)
# Spelled out: 'taro.yamada at example dot com', 'taro アット example ドット jp'.
_TLD = r"(?:com|net|org|info|biz|io|jp|co|ne|or|go|ac|ed|lg|me|us|uk|de|fr|cn|kr|tw|edu|gov)"
_DOT = r"(?:\.|\s?[(\[]?\s?\bdot\b\s?[)\]]?\s?|\s?ドット\s?|\s?どっと\s?)"
_EMAIL_SPELLED = re.compile(rf"[A-Za-z0-9._%+\-]+\s?[(\[]?\s?(?:\bat\b|アット|あっと)\s?[)\]]?\s?[A-Za-z0-9\-]+"
                            rf"(?:{_DOT}[A-Za-z0-9\-]+)*"
                            rf"{_DOT}{_TLD}(?![A-Za-z0-9])", re.I)
# An account on a social network or messaging app after its name: 'LINE ID: taro_yamada', 'インスタ taro.123'.
_ACCOUNT = re.compile(r"(?:LINE|ライン|Twitter|ツイッター|Instagram|インスタ(?:グラム)?|Facebook|フェイスブック|"
                      r"TikTok|ティックトック|SNS|アカウント|ID|ユーザー名|ハンドル)(?:\s?ID)?\s?(?:は|:|：|=)?\s?"
                      r"(@?[A-Za-z0-9][A-Za-z0-9._\-]{2,})")
_DOMAIN = re.compile(r"(?<![A-Za-z0-9.\-])[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\."
                     r"(?:com|net|org|info|biz|io|jp|co\.jp|ne\.jp|or\.jp|go\.jp|lg\.jp|ac\.jp)"
                     r"(?![A-Za-z\-])(?:/[^\s<>\"'「」、。]*)?", re.I)  # why: 'x.jp0834…' is a domain too
_POSTAL_CUE = re.compile(rf"(?:〒|郵便番号|郵便)\s?[:：]?\s?\d{{3}}\s?[{DASH}]?\s?\d{{4}}(?!\d)")
_PHONE_CUE = re.compile(r"(?:電話|でんわ|TEL|FAX|ファックス|ファクス|携帯|ケータイ|けいたい|連絡先|☎|"
                        rf"{_NOT_AFTER_ASSET}番号)"
                        rf"[^\d\[\]]{{0,6}}?(\+?\(?\d(?:{_SEP}{{0,3}}\d){{3,}})", re.I)
_NUMBER_CUE = re.compile(r"(?:口座|普通|当座|店番|記号|会員番号|免許証|保険証|カード番号|受給者番号|被保険者|社員番号|"
                         r"学籍番号|ID|id)"
                         rf"[^\d\[\]]{{0,6}}?(\d(?:{_SEP}{{0,3}}\d){{3,}})")
_PLATE = re.compile(
    rf"(?:[一-龯々]{{1,4}}|つくば|なにわ|いわき)?\s?\d{{2,3}}\s?[あ-んア-ン]\s?"
    rf"(?:\d{{1,2}}\s?[{DASH}・.]\s?\d{{2}}|[・.]{{1,3}}\s?\d{{1,3}}|\d{{1,4}})(?!\d)")
_PLATE_CUE = re.compile(rf"(?:(?<!マイ)ナンバー|車番|車両番号)[^\d\[\]]{{0,4}}?[・.\d][\d{DASH}・.\s]*\d")
_DIGIT_RUN = re.compile(rf"(?<!\d)\+?\s?\(?\d(?:{_SEP}{{0,3}}\d)*")
_KANJI_RUN = re.compile(rf"[{KANJI_DIGITS}{DAIJI}](?:[{DASH}\sの]?[{KANJI_DIGITS}{DAIJI}]){{9,}}")
_POSTAL = re.compile(rf"(?<![\d{_HYPHEN}])\d{{3}}[{_HYPHEN}]\d{{4}}(?![\d{_HYPHEN}])")
# A local number without its area code and without a cue word: '22-1234' (2 + 4 digits, never a date or a lot).
# why: a number left after '管理番号', '契約番号' … (asset words, see _NOT_AFTER_ASSET) names a thing, not a person.
_ASSET_NUMBER = r"(?<!番号)(?<!番号 )(?<!番号:)(?<!番号: )(?<!No\.)(?<!No\. )"
_LOCAL_PHONE = re.compile(rf"{_ASSET_NUMBER}(?<![\d{_HYPHEN}.,/])\d{{2}}[{_HYPHEN}]\d{{4}}"
                          rf"(?![\d{_HYPHEN}.,/]|\s?(?:{_UNITS}))")
# A bare run of 6 or 7 digits (a local number, an account, a postal code without its dash) unless it counts
# something ('1250000円', '1500000m'); a date or an amount written with separators never matches.
_BARE_NUMBER = re.compile(rf"{_ASSET_NUMBER}(?<![\d{DASH}.,/])\d{{6,7}}(?![\d.,/]|\s?(?:{_UNITS}))")
# A room: 'コーポ岐山305号室' (号室 is caught anywhere), 'マンション岐山 501', 'アパート末武 2-203', '7棟405'.
# The building name stays (many households); '3号棟' alone stays too, like a chome.
_BUILDINGS = "マンション|コーポ|ハイツ|アパート|メゾン|ハイム|レジデンス|パレス|ヴィラ|カーサ|シャトー|荘|寮|住宅|団地"
_ROOM = re.compile(rf"((?:{_BUILDINGS})[^\d\s、。,()\[\]]{{0,10}}\s?)(\d{{1,2}}[{_HYPHEN}]\d{{2,4}}|\d{{3,4}})"
                   rf"(?:\s?号室?)?(?![\d.]|\s?(?:{_UNITS}))")
# … or after a katakana building name with no building word: 'サンライズ岡田 2-203' (a floor-and-room number),
# not after a thing's name ('カーブミラー 2-203' numbers a mirror).
_ROOM_NAMED = re.compile(rf"([ァ-ヺ][ァ-ヺー]{{2,}}(?<!ミラー)(?<!ライト)(?<!レール)(?<!ホール)(?<!ポール)(?<!ライン)"
                         rf"(?<!ランプ)(?<!ポンプ)(?<!フェンス)(?<!ゲート)(?<!ボックス)(?<!メーター)(?<!ルート)"
                         rf"[一-龯々ヶ]{{0,4}}\s)(\d{{1,2}}[{_HYPHEN}][1-9]\d{{2}})(?![\d{_HYPHEN}.]|\s?(?:{_UNITS}))")
# Cheap tests (a leading digit or literal lets the regex engine skip ahead) before the costlier patterns.
_PLATE_HINT = re.compile(r"\d{2,3}\s?[あ-んア-ン]")
_LOCAL_PHONE_HINT = re.compile(rf"\d\d[{_HYPHEN}]\d{{4}}")
_ROOM_HINT = re.compile(_BUILDINGS)
_ROOM_NAMED_HINT = re.compile(rf"\s\d{{1,2}}[{_HYPHEN}][1-9]\d\d")
_SIX_DIGITS = re.compile(r"\d{6}")
# why: a lettered block stays like a numbered one alone ('B棟'); the room after it goes ('B棟 302').
_BLOCK_ROOM = re.compile(r"\d+\s?棟\s?\d{2,4}(?:\s?号室?)?(?!\d)"
                         rf"|(?<=棟)\s?\d{{3,4}}(?:\s?号室?)?(?![\d.]|\s?(?:{_UNITS}))"
                         r"|(?<=階)\s?\d{3,4}(?:\s?号室?)?(?![\d.])")
_ADDRESSES = (
    # 1丁目2番3号, 一丁目2番地, 1丁目2-3: the chome goes too when a block number follows.
    re.compile(rf"{_NUM}\s?丁目\s?(?:[{_HYPHEN}の]\s?)?(?:\d+|[{KANJI_DIGITS}{DAIJI}十百拾]+(?=\s?[番号の]))(?:\s?(?:番地?|号|[{_HYPHEN}]|の)\s?{_NUM})*"
               r"(?:\s?(?:番地?|号(?!線)))?"),
    # 12番地の3, 2番3号, 十二番地の三
    re.compile(rf"{_NUM}\s?番地?\s?(?:の\s?)?{_NUM}(?:\s?(?:号|番地?|[{_HYPHEN}]|の)\s?{_NUM})*"
               r"(?:\s?号(?!線))?"),
    re.compile(rf"{_NUM}\s?番地"),
    re.compile(r"\d+\s?号室"),
    # 3軒目, 二軒隣: a house counted from a landmark ('角から3軒目の家')
    re.compile(rf"(?:\d{{1,2}}|[{KANJI_DIGITS}十]{{1,2}})\s?軒(?:目|隣|となり|先|手前)"),
    # 1-2-3, 1-2-3-101
    re.compile(rf"(?<![\d.{_HYPHEN}])\d{{1,4}}(?:[{_HYPHEN}]\d{{1,4}}){{2,3}}(?:号(?!線))?(?![\d{_HYPHEN}])"),
    # 1の2の6, 1ノ2ノ7: three numbers joined by の are a lot, wherever they stand.
    re.compile(r"(?<![\d.])\d{1,4}(?:\s?[のノ]\s?\d{1,4}){2,3}(?![\d.])"),
    # 岐山通12-3, 岐山通1の2: two numbers only count right after a place name and not before a unit ('2-3日').
    re.compile(rf"(?<=[一-龯々ヶ])(?<![約第全計各毎数残合同同])\d{{1,4}}[{_HYPHEN}のノ]\d{{1,4}}"
               rf"(?![\d{_HYPHEN}.]|\s?(?:{_UNITS}))"),
    # 遠石二の十: two kanji numbers joined by の right after a place name ('二の丸', '一の橋' are no numbers).
    re.compile(rf"(?<=[一-龯々ヶ])[{KANJI_DIGITS}十]{{1,3}}[のノ][{KANJI_DIGITS}十]{{1,3}}(?![一-龯々])"),
)
DATE = re.compile(r"(?:19|20)\d\d[\-./](?:0?[1-9]|1[0-2])[\-./](?:0?[1-9]|[12]\d|3[01])")
_ANY_DIGIT = re.compile(r"\d")
_ADDRESS_HINT = re.compile(r"[\d番号のノ軒]")
_ANY_KANJI_DIGIT = re.compile(f"[{KANJI_DIGITS}{DAIJI}]")
# Coordinates: degrees, minutes and seconds ('北緯33度57分41秒', "N33°57'41\"", '33°57′41″N'), with a
# hemisphere word or letter or with seconds (a bare '35度' is a temperature or an angle); decimal degrees
# as a pair ('34.0123, 131.8012'), after a cue word ('緯度 34.05', 'lat 41.7'), or alone with 4+ decimals.
_DMS_ONE = (r"(?:(?:北緯|南緯|東経|西経|緯度|経度|[NSEW]|lat(?:itude)?|lon(?:gitude)?|lng)\s?[:：=]?\s?)?"
            r"-?\d{1,3}(?:\.\d+)?\s?(?:度|°|º)\s?\d{1,2}(?:\.\d+)?\s?(?:分|′|'|’)"
            r"(?:\s?\d{1,2}(?:\.\d+)?\s?(?:秒|″|′′|\"|”|''|’’))?(?:\s?[NSEW](?![A-Za-z]))?")
_DMS = re.compile(rf"{_DMS_ONE}(?:\s?[,、/]?\s?{_DMS_ONE})?", re.I)
_DEG_NUMBER = r"(?:(?<![A-Za-z])[NSEW]\s?)?-?(?!0\d)\d{1,3}\.\d+(?:\s?(?:°|º|度))?(?:\s?[NSEW](?![A-Za-z]))?"
_COORD_CUE = (r"(?:北緯|南緯|東経|西経|緯度|経度|lat(?:itude)?|lon(?:gitude)?|lng|座標|位置情報|GPS)"
              r"\s?[:：=は]?\s?")
_COORD_PAIR = re.compile(rf"(?<![\d.])(?:{_COORD_CUE})?({_DEG_NUMBER})(?![\d.])\s?[,、/]?\s?(?:{_COORD_CUE})?"
                         rf"({_DEG_NUMBER})(?![\d.])", re.I)
_COORD_ONE = re.compile(rf"(?<![\d.])(?:{_COORD_CUE}-?\d{{1,3}}\.\d{{2,}}|-?(?!0\d)\d{{1,3}}\.\d{{4,}})(?![\d.])"
                        r"(?!\s?(?:m|km|cm|mm|メートル|キロ|センチ|ミリ|円|%|倍|秒|t|kg|ha|a)(?![A-Za-z]))", re.I)
_COORD_HINT = re.compile(r"\d\.\d{2}|[度°º]\s?\d")
# A birth date ('昭和23年6月12日生まれ', 'S23.6.12生', '1948年生まれ', 'born on June 12, 1948'); an age tied
# to a person ('78歳の母', '満78才', '母(78)', '78-year-old'), but not a rule or a programme for everyone
# ('65歳以上の方', '百歳体操').
_ERA = r"(?:明治|大正|昭和|平成|令和|[MTSHR]\.?\s?)"
_YEAR = rf"(?:{_ERA}\s?(?:\d{{1,2}}|元|[{KANJI_DIGITS}十]{{1,3}})|(?:18|19|20)\d\d)"
_DAY_NUM = rf"(?:\d{{1,2}}|[{KANJI_DIGITS}十]{{1,3}})"
_MONTH_DAY = rf"(?:\s?{_DAY_NUM}\s?月(?:\s?{_DAY_NUM}\s?日)?)?"
_BIRTH_DATE = (rf"(?:{_YEAR}\s?年{_MONTH_DAY}|{_YEAR}\s?[./\-]\s?\d{{1,2}}(?:\s?[./\-]\s?\d{{1,2}})?|"
               rf"\d{{1,2}}\s?月\s?\d{{1,2}}\s?日)")
_BIRTH = re.compile(rf"(?:{_BIRTH_DATE}|(?<![\d.])\d{{2}}\s?年{_MONTH_DAY})(?=\s?(?:生まれ|生|産まれ|うまれ|誕生|出生))"
                    rf"|(?:(?<=誕生日)|(?<=生まれは))\s?[:：は]?\s?{_BIRTH_DATE}"
                    r"|(?i:born:?(?: on| in)?|date of birth:?|birth ?date:?|DOB:?|birthday:?)\s"
                    r"(?:[A-Z][a-z]+\.? \d{1,2},? \d{4}|"
                    r"\d{1,2} [A-Z][a-z]+\.? \d{4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4})")
_AGE = re.compile(rf"(?:御年|御歳|おとし)\s?(?:\d{{1,3}}|[{KANJI_DIGITS}十百]{{1,4}})(?:\s?(?:歳|才))?"
                  rf"|(?<![\d.{KANJI_DIGITS}十百])(?:満\s?)?(?:\d{{1,3}}|[{KANJI_DIGITS}十百]{{1,4}})\s?(?:歳|才)"
                  r"(?!\s?(?:以上|以下|未満|以降|から|まで|体操|前後|刻み|程度|くらい|ぐらい|位))"
                  r"|(?i:(?<![\d.])\d{1,3}[- ](?:years?|yrs?)[- ]old|(?<![\d.])\d{1,3} ?y/?o(?![A-Za-z])"
                  r"|(?<![A-Za-z])aged?:? \d{1,3}(?![\d.]))"
                  r"|(?:(?<=年齢)|(?<=年齢[:は ])|(?<=年齢[:は] ))\d{1,3}(?![\d.])"
                  r"|(?:(?<![\d.])[1-9]0|(?<![一二三四五六七八九十])[二三四五六七八九]?十)\s?代(?:前半|後半|半ば)?"
                  r"(?=の?(?:男性|女性|男|女|母|父|方|人|夫婦|主婦|住民|おじいさん|おばあさん|お年寄り|高齢者))"
                  # a pupil's school class: '5年2組' (some thirty children; '2年生' alone is many more)
                  r"|(?<![\d.])[1-6]\s?年\s?\d{1,2}\s?組")
_AGE_AFTER_PERSON = re.compile(r"(\[個人名\](?:さん|様|氏|君|くん|ちゃん)?|[母父妻夫娘孫]|男性|女性|息子|"
                               r"祖母|祖父|主人|本人|男児|女児|男の子|女の子)"
                               r"\s?\(\s?\d{1,3}\s?(?:歳|才)?\s?\)")
_AGE_HINT = re.compile(r"[歳才代組]|年齢|御年|おとし|year|yr|age|\d ?y|\(\s?\d{1,3}\s?\)", re.I)


class _Counter:
    """Replacement helper that counts what it replaces."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def put(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return PLACEHOLDERS[kind]

    def sub(self, pattern: re.Pattern[str], kind: str, text: str) -> str:
        return pattern.sub(lambda _m: self.put(kind), text)

    def add(self, kind: str, count: int) -> None:
        if count:
            self.counts[kind] = self.counts.get(kind, 0) + count


def _coordinates(text: str, c: _Counter) -> str:
    """DMS and decimal coordinates -> '[座標]' (a decimal pair only when it can be a latitude and longitude)."""
    text = c.sub(_DMS, "coordinates", text)

    def pair(m: re.Match[str]) -> str:
        values = [abs(float(re.sub(r"[^\d.\-]", "", g))) for g in (m[1], m[2])]
        decimals = [len(re.sub(r"[^\d.]", "", g).split(".")[1]) for g in (m[1], m[2])]
        if min(values) <= 90 and max(values) <= 180 and min(decimals) >= 2 and max(decimals) >= 3:
            return c.put("coordinates")
        return m.group(0)

    text = _COORD_PAIR.sub(pair, text)

    def one(m: re.Match[str]) -> str:
        number = re.search(r"-?\d{1,3}\.\d+", m.group(0))
        return c.put("coordinates") if number and abs(float(number.group(0))) <= 180 else m.group(0)

    return _COORD_ONE.sub(one, text)


def _birth_and_age(text: str, c: _Counter) -> str:
    """Birth dates and a person's age -> '[生年月日]', '[年齢]'."""
    if "生" in text or "誕" in text or "born" in text.lower() or "birth" in text.lower() or "dob" in text.lower():
        text = c.sub(_BIRTH, "birth_date", text)
    if _AGE_HINT.search(text):
        text = c.sub(_AGE, "age", text)
        text = _AGE_AFTER_PERSON.sub(lambda m: m[1] + "(" + c.put("age") + ")", text)
    return text


def _digit_run(m: re.Match[str], c: _Counter) -> str:
    """Phone numbers (0 + 9-10 digits, +81 …) and long numbers; anything shorter stays for later rules."""
    run = m.group(0)
    digits = re.sub(r"\D", "", run)
    # why: '高橋さん（090-1234-5678）' keeps its opening bracket when the number is replaced
    keep = run[: len(run) - len(run.lstrip(" ("))]
    if run.count("(") <= run.count(")"):
        keep = keep.replace("(", "")
    if run.lstrip().startswith("+") and len(digits) >= 9:
        return keep + c.put("phone")
    if digits.startswith("0") and 9 <= len(digits) <= 11:
        return keep + c.put("phone")
    if len(digits) >= 10 and not DATE.fullmatch(run.strip()):
        return keep + c.put("individual_number")
    return run


def _phone_cue(m: re.Match[str], c: _Counter) -> str:
    """After '電話', 'TEL', '携帯' …: any number of 4 to 11 digits is a phone number (local ones too)."""
    digits = sum(ch.isdigit() for ch in m.group(1))
    kind = "phone" if digits <= 11 else "individual_number"
    return m.group(0)[: m.start(1) - m.start(0)] + c.put(kind)


def _kanji_run(m: re.Match[str], c: _Counter) -> str:
    digits = re.sub(r"[^" + KANJI_DIGITS + DAIJI + "]", "", m.group(0))
    return c.put("phone" if digits[0] in "〇零" and len(digits) <= 11 else "individual_number")


def _address(m: re.Match[str], c: _Counter) -> str:
    return m.group(0) if DATE.fullmatch(m.group(0)) else c.put("address")


@lru_cache(maxsize=32)
def _gazetteer_pattern(gazetteer: frozenset[str]) -> re.Pattern[str] | None:
    names = sorted({clean(n) for n in gazetteer if len(clean(n)) >= 2}, key=lambda n: (-len(n), n))
    if not names:
        return None
    return re.compile("|".join(re.escape(n).replace("\\ ", "\\s?") for n in names))


# Place names holding a honorific or house character ('田倉御殿', '豊田町殿敷', '西方', '地家室'), and their part
# after a town prefix ('殿敷'): hidden from the name rules, which would read '田倉御' + '殿' as a name.
_TITLE_CHARS = "様殿宅邸方家氏君"
_MASK = "\ue000"


@lru_cache(maxsize=1)
def _titled_places() -> re.Pattern[str] | None:
    places = {p for p in load_places()[0] if any(ch in p for ch in _TITLE_CHARS)}
    places |= {p.split("町", 1)[1] for p in places if "町" in p[:-1] and len(p.split("町", 1)[1]) >= 2}
    places |= {p[i - 1:i + 1] for p in places for i, ch in enumerate(p) if ch == "殿" and i > 0}
    if not places:
        return None
    # why: a name that happens to equal such a place still goes when a person honorific follows
    alternatives = "|".join(sorted(places, key=lambda p: (-len(p), p)))
    return re.compile(f"(?:{alternatives})(?!さん|様|さま|氏|君|くん|ちゃん)")


def _mask_places(text: str) -> tuple[str, list[str]]:
    pattern = _titled_places()
    if pattern is None or not any(ch in text for ch in _TITLE_CHARS):
        return text, []
    found: list[str] = []

    def hide(m: re.Match[str]) -> str:
        found.append(m.group(0))
        return _MASK

    return pattern.sub(hide, text), found


def _unmask(text: str, found: list[str]) -> str:
    if not found:
        return text
    parts = text.split(_MASK)
    return "".join(part + (found[i] if i < len(found) else "") for i, part in enumerate(parts))


# A cheap necessary test for contact data (pipeline.public_ids runs the whole scrubber only where it passes): the
# contact rules' own patterns, a phone cue, and any digit run the phone rules could take (a 0 or a '+' and nine
# digits or more; a kanji 一 as the dash; a local number; digits in kanji or katakana words). Each pattern is tried
# only where a character it needs is present, as replace_all does.
_PHONE_RUN = re.compile(rf"(?<!\d)0(?:{_SEP}{{0,3}}\d){{8,}}|\+\s?\(?\d(?:{_SEP}{{0,3}}\d){{8,}}")
_CUE_HINT = re.compile(r"電話|でんわ|TEL|FAX|ファ|携帯|ケータイ|けいたい|連絡先|☎|番号", re.I)
_KANA_HINT = re.compile("[ァ-ヺ]")


def may_hold_contacts(text: str) -> bool:
    """False when a cleaned text holds no phone number, e-mail or web address the rules below would find (True:
    it may, so run them); '@' anywhere counts. An account name after 'LINE', 'ID' … (_ACCOUNT) is not looked for:
    in a record number 'ID' names the number itself."""
    if "@" in text:
        return True
    text = KANJI_DASH.sub("-", text) if "一" in text else text
    lower = text.lower()
    tried: tuple[tuple[bool, re.Pattern[str]], ...] = (
        ("." in text or ":" in text, _URL), ("." in text, _DOMAIN),
        ("at" in lower or "(a)" in lower or "[a]" in lower or "アット" in text or "あっと" in text, _EMAIL),
        ("at" in lower or "アット" in text or "あっと" in text, _EMAIL_SPELLED),
        (_CUE_HINT.search(text) is not None, _PHONE_CUE), (_KANA_HINT.search(text) is not None, KANA_NUMBER),
        ("0" in text or "+" in text, _PHONE_RUN), (_LOCAL_PHONE_HINT.search(text) is not None, _LOCAL_PHONE))
    if any(gate and pattern.search(text) for gate, pattern in tried):
        return True
    return _ANY_KANJI_DIGIT.search(text) is not None and _KANJI_RUN.search(text) is not None


def replace_all(text: str, gazetteer: frozenset[str] = frozenset(),
                bare_names: bool = True) -> tuple[str, dict[str, int], bool]:
    """Clean text -> (text with placeholders, counts, unsure-about-a-name flag)."""
    c = _Counter()
    text = _contacts(text, gazetteer, c)
    text = spelled_out(text, c.put)
    if _ANY_DIGIT.search(text) or _ANY_KANJI_DIGIT.search(text):
        text = _birth_and_age(text, c)
    if _ANY_DIGIT.search(text):
        text = _numbers(text, c)
    if _ANY_KANJI_DIGIT.search(text):
        text = _KANJI_RUN.sub(lambda m: _kanji_run(m, c), text)
    if _ADDRESS_HINT.search(text):
        for address in _ADDRESSES:
            text = address.sub(lambda m: _address(m, c), text)
    text, names, unsure = _names(text, bare_names)
    if names:
        c.counts["person_name"] = c.counts.get("person_name", 0) + names
    return text, c.counts, unsure


def _contacts(text: str, gazetteer: frozenset[str], c: _Counter) -> str:
    """URLs, e-mail addresses, accounts and domains, then the gazetteer's known names."""
    if "." in text or ":" in text:
        text = c.sub(_URL, "url", text)
    if "@" in text or "at" in text.lower() or "(a)" in text or "[a]" in text or "アット" in text or "あっと" in text:
        text = c.sub(_EMAIL, "email", text)
        text = c.sub(_EMAIL_SPELLED, "email", text)
    if LATIN_HINT.search(text):
        text = _ACCOUNT.sub(lambda m: m.group(0)[: m.start(1) - m.start()] + c.put("url"), text)
    if "." in text:
        text = c.sub(_DOMAIN, "url", text)
    pattern = _gazetteer_pattern(gazetteer) if gazetteer else None
    if pattern is not None:
        text = c.sub(pattern, "person_name", text)
    return text


def _numbers(text: str, c: _Counter) -> str:
    """A text with digits: coordinates, Latin addresses, then cued numbers, then bare ones."""
    if _COORD_HINT.search(text):
        text = _coordinates(text, c)
    if LATIN_HINT.search(text):
        text, addresses, postcodes = replace_latin_addresses(text, PLACEHOLDERS["address"],
                                                             PLACEHOLDERS["postal_code"])
        c.add("address", addresses)
        c.add("postal_code", postcodes)
    text = c.sub(_POSTAL_CUE, "postal_code", text)
    text = _NUMBER_CUE.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + c.put("individual_number"), text)
    text = _PHONE_CUE.sub(lambda m: _phone_cue(m, c), text)
    if _PLATE_HINT.search(text):
        text = c.sub(_PLATE, "plate", text)
    text = c.sub(_PLATE_CUE, "plate", text)
    text = _DIGIT_RUN.sub(lambda m: _digit_run(m, c), text)
    text = c.sub(_POSTAL, "postal_code", text)
    if _LOCAL_PHONE_HINT.search(text):
        text = c.sub(_LOCAL_PHONE, "phone", text)
    if _ROOM_HINT.search(text):
        text = _ROOM.sub(lambda m: m.group(1) + c.put("address"), text)
    if _ROOM_NAMED_HINT.search(text):
        text = _ROOM_NAMED.sub(lambda m: m.group(1) + c.put("address"), text)
    text = c.sub(_BLOCK_ROOM, "address", text)
    if _SIX_DIGITS.search(text):
        text = c.sub(_BARE_NUMBER, "individual_number", text)
    return text


def _names(text: str, bare_names: bool) -> tuple[str, int, bool]:
    """Personal names: in context, by honorific (place names with a house word masked), then bare ones."""
    context, context_unsure = 0, False
    if bare_names:
        text, context, context_unsure = replace_context_names(text, *load_places())
    masked = _mask_places(text)
    text, names, unsure = replace_names(masked[0])
    names += context
    unsure = unsure or context_unsure
    text = _unmask(text, masked[1])
    if bare_names:
        text, bare = replace_bare_names(text, *load_places())
        names += bare
    return text, names, unsure
