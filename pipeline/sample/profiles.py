"""How each sample body behaves: volume, category mix, speed, habits of declining and referring.

Synthetic but shaped by CONTEXT: the four pilot bodies contract differently, and each city
has its own reporting app and vocabulary. Town names are real 町名 of each city.
"""

from dataclasses import dataclass, field

# Category weights per month (April = index 0): vegetation peaks in summer, fallen trees
# after the September typhoons, potholes after the rainy season and in late winter.
SEASON: dict[str, tuple[float, ...]] = {
    "weeding": (0.4, 1.0, 1.6, 2.0, 2.0, 1.6, 0.9, 0.4, 0.2, 0.1, 0.1, 0.2),
    "fallen_tree": (0.5, 0.5, 0.8, 1.0, 1.2, 3.0, 1.4, 0.6, 0.5, 0.6, 0.6, 0.5),
    "pothole": (1.0, 0.9, 1.3, 1.4, 1.0, 1.0, 0.8, 0.8, 0.9, 1.2, 1.4, 1.3),
    "drainage": (0.8, 0.9, 1.6, 1.5, 1.1, 1.3, 0.9, 0.9, 0.7, 0.6, 0.7, 0.8),
}

CATEGORY_WORK = {
    "pothole": "pavement", "pavement": "pavement", "weeding": "vegetation", "fallen_tree": "vegetation",
    "drainage": "drainage", "street_light": "lighting", "traffic_mirror": "safety_facility",
    "guardrail": "safety_facility", "sign": "safety_facility", "dumping": "cleaning",
    "animal": "cleaning", "park_facility": "general", "river_facility": "general", "other": "general",
}


@dataclass(frozen=True)
class Profile:
    """Parameters of one synthetic body."""

    code: str
    slug: str
    cases_per_year: int
    categories: dict[str, float]
    channels: dict[str, float]
    towns: tuple[str, ...]
    districts: tuple[str, ...]
    median_days: float  # receipt to completion
    decline_share: float
    refer_share: float  # of cases on another administrator's road
    other_admin_share: float
    monitoring_share: float = 0.04
    description_share: float = 0.9
    contractors: tuple[str, ...] = ()
    pii_share: float = 0.08  # share of descriptions with planted personal data
    extra: dict[str, str] = field(default_factory=dict)


PILOT: dict[str, Profile] = {
    "350001": Profile(
        code="350001", slug="yamaguchi", cases_per_year=420,
        categories={"pothole": 26, "pavement": 12, "weeding": 20, "fallen_tree": 9, "drainage": 10,
                    "guardrail": 6, "sign": 5, "street_light": 3, "dumping": 4, "animal": 3,
                    "river_facility": 2},
        channels={"phone": 42, "app": 20, "email": 8, "counter": 8, "web": 10, "letter": 4, "patrol": 8},
        towns=("周南市 久米", "周南市 鹿野", "周南市 須々万", "周南市 富田", "下松市 末武中", "下松市 切山",
               "光市 岩田", "光市 三井", "光市 束荷", "周南市 大河内"),
        districts=("周南東部", "周南西部", "光・下松"),
        median_days=12, decline_share=0.06, refer_share=0.9, other_admin_share=0.10,
        contractors=("周陽道路株式会社", "株式会社県央建設", "光井土木有限会社"),
    ),
    "352071": Profile(
        code="352071", slug="kudamatsu", cases_per_year=260,
        categories={"pothole": 22, "pavement": 8, "weeding": 22, "fallen_tree": 6, "drainage": 16,
                    "street_light": 8, "traffic_mirror": 7, "guardrail": 3, "sign": 3, "dumping": 3,
                    "animal": 2},
        channels={"phone": 50, "app": 18, "counter": 16, "email": 6, "letter": 4, "patrol": 6},
        towns=("末武上", "末武中", "末武下", "花岡", "久保", "豊井", "東豊井", "西豊井", "切山", "来巻",
               "生野屋", "河内", "笠戸島", "潮音町", "美里町"),
        districts=("東部", "西部"),
        median_days=9, decline_share=0.12, refer_share=0.8, other_admin_share=0.14,
        contractors=("下松舗道株式会社", "株式会社花岡工務", "有限会社笠戸造園", "末武建設株式会社"),
    ),
    "352101": Profile(
        code="352101", slug="hikari", cases_per_year=230,
        categories={"pothole": 20, "pavement": 10, "weeding": 18, "fallen_tree": 8, "drainage": 14,
                    "street_light": 9, "traffic_mirror": 6, "guardrail": 4, "sign": 3, "park_facility": 5,
                    "dumping": 3},
        channels={"app": 46, "phone": 30, "counter": 10, "web": 8, "patrol": 6},
        towns=("光井", "室積", "浅江", "島田", "三井", "岩田", "束荷", "塩田", "虹ケ浜", "小周防", "立野",
               "林", "周防"),
        districts=("全域",),
        median_days=15, decline_share=0.08, refer_share=0.6, other_admin_share=0.12,
        contractors=("光建設株式会社", "有限会社室積土木", "株式会社浅江舗装", "虹ケ浜緑化有限会社",
                     "島田電設株式会社"),
    ),
    "352152": Profile(
        code="352152", slug="shunan", cases_per_year=560,
        categories={"pothole": 24, "pavement": 10, "weeding": 20, "fallen_tree": 8, "drainage": 13,
                    "street_light": 7, "traffic_mirror": 5, "guardrail": 4, "sign": 3, "dumping": 3,
                    "animal": 2, "park_facility": 1},
        channels={"app": 34, "phone": 38, "counter": 10, "email": 6, "web": 6, "patrol": 6},
        towns=("岐山通", "徳山", "遠石", "久米", "櫛浜", "富田", "福川", "新南陽", "鹿野上", "熊毛",
               "須々万本郷", "戸田", "夜市", "湯野", "大津島", "秋月", "桜木", "代々木通"),
        districts=("徳山地区", "新南陽地区", "熊毛・鹿野地区"),
        median_days=11, decline_share=0.10, refer_share=0.85, other_admin_share=0.11,
        contractors=("周南舗道株式会社", "株式会社徳山建設", "新南陽土木株式会社", "有限会社鹿野造園",
                     "熊毛工業株式会社"),
    ),
}

DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "pothole": ("交差点付近の路面に穴があいていて危ない", "道路に大きな穴ぼこがあり自転車が転倒しそう",
                "バス停前の舗装がはがれて穴になっている", "雨のあと水たまりができる穴がある"),
    "pavement": ("舗装がひび割れて段差ができている", "路面の凹凸がひどく車が跳ねる", "マンホールの周りが沈んでいる"),
    "weeding": ("歩道に草が伸びて通りにくい", "交差点の草で見通しが悪い", "路肩の草刈りをお願いしたい",
                "通学路の雑草が伸び放題になっている"),
    "fallen_tree": ("台風で木が倒れて道をふさいでいる", "枝が道路に張り出していてトラックが当たる",
                    "倒木で片側が通れない"),
    "drainage": ("側溝のふたががたつく", "側溝が詰まって水があふれている", "大雨で排水が追いつかず冠水した"),
    "street_light": ("街路灯が消えたままで夜暗い", "道路照明が点滅している"),
    "traffic_mirror": ("カーブミラーの向きがずれている", "カーブミラーが割れている", "カーブミラーが曇って見えない"),
    "guardrail": ("ガードレールが曲がっている", "防護柵が外れかけている"),
    "sign": ("標識が傾いている", "区画線が消えかけている", "止まれの文字が薄くなっている"),
    "dumping": ("道路に落下物がある", "路肩にごみが不法投棄されている"),
    "animal": ("道路に動物の死骸がある", "車道に猫が死んでいる"),
    "park_facility": ("公園の遊具が壊れている", "公園のベンチが傷んでいる"),
    "river_facility": ("水路の柵が壊れている", "河川の護岸が崩れている"),
    "other": ("道路のことで相談したい",),
}

# Personal data the way real exports carry it inside free text (all fictitious).
SURNAMES = ("山田", "佐藤", "田中", "中村", "藤井", "河村", "弘中", "末永", "原田", "松本", "国弘", "岡村")
GIVEN = ("太郎", "花子", "一郎", "恵子", "健", "由美", "修", "明美")
PII_TEMPLATES = (
    "{surname}様宅の前の{thing}。連絡は{phone}まで",
    "{thing}。{surname}さんの家の横です",
    "{address}付近で{thing}",
    "{thing}。返事は{email}へお願いします",
    "{thing}。車両{plate}が停まっていて作業できない",
    "{surname}{given}です。{thing}。携帯{phone}",
)
STAFF_NOTES = {
    "completed": ("業者に補修を指示し完了", "現地確認のうえ対応済み", "職員が現地で処置した"),
    "declined": ("現地確認の結果、対応不可と判断", "管理外のため対応できない旨を回答"),
    "referred": ("県道のため県土木建築事務所へ回付", "管理者へ引き継いだ"),
    "monitoring": ("当面は経過観察とする", "次回点検時に確認する"),
    "in_progress": ("業者へ発注済み", "現地確認の日程調整中"),
    "received": ("受付済み",),
}
