"""Word lists for the free-text scrubber (pipeline.scrub): stop-lists, surnames and sensitive topics.

Kept apart from the patterns so that a reviewer can read and extend them without touching regexes.
All entries are already NFKC-normalized (the scrubber normalizes before it looks).
"""

# Person honorifics: a name-like stem right before one of these is a personal name.
PERSON_HONORIFICS = ("先生", "さま", "さん", "くん", "ちゃん", "様", "氏", "君", "殿")
# House words: '田中方' (care of), '山田宅', '佐藤邸', '鈴木家' name a household.
HOUSE_WORDS = ("宅", "邸", "方", "家")

# Stems that end in one of these are roles or groups, not names ('業者さん', '近所の方' has no stem).
ROLE_SUFFIXES = frozenset({
    "業者", "近所", "近隣", "住民", "市民", "町民", "村民", "県民", "職員", "担当", "管理人", "運転手",
    "大家", "家主", "地主", "店員", "警察官", "駐在", "隣人", "住人", "知人", "友人", "本人", "相手",
    "子供", "家族", "親戚", "親族", "兄弟", "姉妹", "息子", "主人", "旦那", "先生", "医者", "看護師",
    "歯医者", "役所", "役場", "事務所", "工務店", "建設", "工事", "土木", "造園", "電力", "ガス",
    "水道", "郵便", "新聞", "配達", "警備", "清掃", "自治会", "町内会", "町内", "子ども会", "老人会",
    "不明", "匿名", "無記名", "非公開", "不詳", "未記入", "皆", "通行人", "お客", "小学生", "中学生",
    "高校生", "大学生", "学生", "生徒", "児童", "園児", "高齢", "年配", "若", "大人", "女性", "男性",
    "女の子", "男の子", "奥", "嫁", "婿", "孫", "娘", "姪", "甥", "同僚", "上司", "部下", "後輩", "先輩",
    "乗客", "議員", "市議", "県議", "区長", "班長", "組長", "会長", "社長", "所長", "館長", "校長",
    "教頭", "園長", "担任", "市長", "町長", "村長", "知事", "課長", "係長", "部長", "局長", "駅長",
    "署長", "隊長", "船長", "店長", "副", "各位", "一同", "苦労", "世話", "馳走", "陰", "愁傷", "巡",
    "祖母", "祖父", "叔母", "叔父", "伯母", "伯父", "義母", "義父", "老人", "留守", "現場", "地区", "路線",
    "業務", "不在", "皆様",
})
# Stems ending in one of these characters are roles, offices or companies ('利用者様', '作業員さん',
# '道路課さん', '電気屋さん'): no Japanese personal name ends so.
ROLE_CHARS = frozenset("者員課係室局部署所社店会屋庁団組協")
# Surnames that end in a role character all the same ('土屋さん' is a name, '電気屋さん' is not).
ROLE_CHAR_SURNAMES = frozenset({"土屋", "古屋", "守屋", "関屋", "森屋", "宮部", "岡部", "阿部", "安部",
                                "服部", "長谷部", "渡部", "矢部", "磯部", "日下部", "岡室", "氷室",
                                "小室", "田所", "新所", "大社"})
# A stem of exactly one of these, before a person honorific, is a word ('皆様', '奥さん', '同氏').
SINGLE_STOPS = frozenset("皆客奥娘孫兄姉弟妹父母嫁婿隣王神仏同両彼某諸各貴御赤婆爺坊嬢模仕多異一左何外"
                         "文紋殿今子")
# Kanji right after a honorific that make it a word, not a title: 様子, 様々, 氏名, 方法, 方向 …
NOT_TITLE_AFTER = {
    "様": frozenset("々式"),  # why: not 様子: '山田様子ども会' is rarer than a leaked name
    "氏": frozenset("名子神族"),
    "君": frozenset("主臨"),
    "殿": frozenset("堂下様"),
    "方": frozenset("法向面針式角々策位言形程便眼"),
    "家": frozenset("具屋族庭電畜事賃主計業政並内人財系元督紋柄出"),
    "宅": frozenset("地配建"),
    "邸": frozenset("宅"),
}
# Hiragana before a honorific that make an ordinary word ('たくさん', 'みなさん', 'おばあさん').
HIRAGANA_STOPS = ("たく", "みな", "おじ", "おば", "おじい", "おばあ", "おかあ", "おとう", "おにい", "おねえ",
                  "おく", "おまわり", "おとなり", "おむかい", "ごくろう", "おつかれ", "おかげ", "ごちそう",
                  "おひ", "おきゃく", "おいしゃ", "かあ", "とう", "にい", "ねえ", "ばあ", "じい", "あか",
                  "ぼっ", "ぼう", "あり", "あから", "よう", "おまち", "おそれ", "すさ", "いち", "さか")
# Katakana stems that are roles, not names ('ヘルパーさん', 'ドライバーさん').
KATAKANA_ROLES = frozenset({"ヘルパー", "ドライバー", "オーナー", "スタッフ", "メーカー", "ガードマン", "パパ",
                            "ママ", "ケアマネ", "ヤクルト", "ガス", "ボランティア", "パート", "バイト",
                            "アルバイト", "セールス", "ママ友", "サンタ", "コンビニ", "ホームセンター",
                            "スーパー", "タクシー", "バス", "ゴミ", "パトロール", "シルバー", "センター",
                            "クリーニング", "ガソリンスタンド", "メンバー", "リーダー", "マネージャー"})
# Stems ending in one of these before 宅 or 邸 are words ('自宅', '住宅', '個人宅', '高齢者宅').
HOUSE_STOPS = frozenset({"自", "住", "帰", "在", "社", "邸", "個人", "民", "隣", "私", "別", "本", "旧", "新",
                         "空", "居", "拙", "御", "当", "貴", "一般", "該", "各", "近隣", "豪", "公", "官",
                         "県", "市", "町", "被害", "対象", "周辺", "付近", "前", "裏", "横", "隣家",
                         "同", "他", "全", "数", "某", "無人"})

# Cue words after which the next name-like word is a person's name ('通報者：山田太郎').
NAME_CUES = ("お名前", "氏名", "名前", "通報者", "申出者", "申出人", "申請者", "依頼者", "要望者", "相談者",
             "連絡者", "届出人", "届出者", "契約者", "担当者", "担当", "対応者", "受付者", "記入者", "作成者",
             "通報人", "苦情者", "名義人", "名義", "旧姓", "表札", "宛名",
             # English cue words of exports translated or kept by the Open311 cities
             "Requester", "Caller", "Reporter", "Complainant")

# Common surnames (national top list plus names frequent in Yamaguchi). Used for house words, where
# '方' and '家' are too ambiguous without one: '田中方', '山本家' are households, '地方', '専門家' are not.
_SURNAME_TEXT = """
佐藤 鈴木 高橋 田中 伊藤 渡辺 渡邊 渡邉 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 斉藤
清水 山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本
福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田 上田 原
内田 柴田 酒井 宮崎 横山 高木 安藤 宮本 大野 小島 谷口 今井 工藤 高田 増田 丸山 杉山 村田 大塚 新井 小山
平野 藤本 河野 上野 野口 武田 松井 千葉 岩崎 菅原 木下 久保 佐野 野村 松尾 市川 菊地 杉本 古川 大西 島田
水野 桜井 高野 渡部 吉川 山内 西田 飯田 菊池 西川 小松 北村 安田 五十嵐 川口 平田 関 中田 久保田 服部 東
岩田 土屋 川崎 福島 本田 辻 樋口 秋山 田口 永井 山中 中西 吉村 川上 石原 大橋 松岡 馬場 浜田 森本 星野
矢野 浅野 大久保 松下 吉岡 小池 野田 荒木 大谷 内藤 松浦 熊谷 黒田 尾崎 永田 川村 望月 田辺 松村 荒井 堀
大島 平井 早川 菅野 栗原 西山 広瀬 横田 石橋 萩原 岩本 片山 関口 宮田 大石 高山 本間 吉野 須藤 岡崎 小田
伊東 鎌田 上原 篠原 小西 松原 福井 古田 大和田 緒方 藤村 河村 弘中 末永 末次 岡村 国弘 兼重 重村 山根
中原 吉本 秋本 三好 河本 藤山 田原 有田 西岡 植田 上村 松永 福永 徳永 吉永 弘田 村岡 藤川 守田 宮川 浅原
大田 林田 広田 友田 伊達 国重 清木 白石 岩国 河内 沖田 安村 坂田 桑原 石津 松崎 末広 吉武 重岡 原本 来島
"""
SURNAMES = frozenset(_SURNAME_TEXT.split())

# Topics that make a text sensitive (要配慮個人情報 and close to it): health, disability, care, birth and
# death, family breakdown, abuse, welfare and debt, religion, crime record, origin. A text that touches one
# is withheld whole, because scrubbing names does not make a neighbour's illness unidentifiable.
# why: facility words ('介護施設前', '障害者用駐車場', '病院前') are landmarks, not a person's matter, and
# '通行の障害' / '障害物' are obstructions; the patterns below leave those alone.
SENSITIVE_PATTERNS = (
    r"病気", r"病状", r"持病", r"難病", r"闘病", r"入院", r"退院", r"通院", r"治療中", r"治療を受け", r"手術",
    r"診断(?:され|を受け|書)", r"障害者(?!用|施設|センター|トイレ|駐車|福祉)", r"障がい(?!者用|物)",
    r"障碍", r"(?:身体|知的|精神|発達|視覚|聴覚)障害", r"障害(?:を持|のあ|があ|年金|手帳)", r"認知症",
    r"痴呆", r"介護(?!施設|センター|老人保健|事業所|保険課|支援専門)", r"要支援", r"寝たきり", r"妊娠",
    r"妊婦", r"出産", r"流産", r"死亡", r"亡くな", r"他界", r"逝去", r"死去", r"自殺", r"自死", r"孤独死",
    r"離婚", r"別居", r"(?<![A-Za-z])DV(?![A-Za-z])", r"ドメスティック", r"虐待", r"生活保護", r"生保受給",
    r"借金", r"破産", r"債務", r"滞納", r"宗教", r"信仰", r"信者", r"入信", r"前科", r"逮捕", r"服役",
    r"刑務所", r"犯罪歴", r"暴力団", r"うつ病", r"鬱病", r"精神科", r"精神疾患", r"癌", r"がん(?:患者|で|の治療)",
    r"(?<![A-Za-z])HIV", r"エイズ", r"性病", r"同性愛", r"不倫", r"国籍", r"在日", r"外国人", r"部落", r"同和",
    r"児童相談所", r"不登校", r"引きこもり", r"ひきこもり", r"独居", r"一人暮らし", r"ひとり暮らし", r"骨折",
    r"負傷", r"救急搬送", r"(?<!\[)生年月日", r"(?:怪我|けが|ケガ)(?:をし|し|を負|で)", r"透析", r"補聴器",
    # A mobility aid is about accessibility ('車椅子が通れない段差') unless tied to a person in the text.
    r"(?:私|母|父|妻|夫|息子|娘|祖母|祖父|家族|主人|本人|子供|子ども|孫|義母|義父)[^。]{0,12}"
    r"(?:車椅子|車いす|白杖|杖|歩行器|シルバーカー)",
)

# Common given names: a known surname right before one of these is a full name wherever it stands.
_GIVEN_TEXT = """
太郎 次郎 三郎 一郎 二郎 四郎 健 健一 健二 健太 健太郎 誠 浩 浩二 浩一 博 弘 隆 清 茂 実 進 勇 勉 豊 修 明
正 学 聡 剛 翔 翔太 翔平 大輔 大樹 拓也 直樹 和也 達也 哲也 雄一 洋一 秀樹 孝 隆之 和夫 正男 昭 稔 悟 亮 涼
蓮 大翔 悠真 湊 陽翔 樹 海斗 花子 恵子 由美 明美 陽子 裕子 和子 幸子 久美子 美穂 真由美 智子 京子 洋子 節子
悦子 直美 由紀 優子 美香 愛 彩 葵 結衣 陽菜 美咲 真理 麻衣 舞 文子 春子 秋子 冬子 良子 恵美 美紀 千尋 純子
"""
GIVEN_NAMES = frozenset(_GIVEN_TEXT.split())
# Self-introduction cues: '藤井恵子です', '国弘と申します'.
SELF_INTRO = ("と申します", "と申し", "といいます", "と言います", "でございます", "です")
# A word ending in one of these is a place, a facility or a thing, not a given name ('山口県です').
PLACE_CHARS = frozenset("県市町村区郡道路川橋駅線通港島台坂谷沢浜園寺宮院校館場所前後横裏側上下内外北南東西"
                        "地丁目店社署課係室局部庁園店号便方面")
