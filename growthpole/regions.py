"""The model's regions and sectors: fixed vocabularies used across the package.

Regions are the six county-level units of Shaoxing (绍兴) plus the three corridor poles of
the 融杭联甬接沪 strategy. Shenzhen is not a region: it appears only as a host of talent
enclaves (人才飞地), see :mod:`growthpole.mechanisms.labour`.
"""

from __future__ import annotations

REGIONS: tuple[str, ...] = (
    "yuecheng",  # 越城区
    "keqiao",  # 柯桥区 (绍兴县 before 2013)
    "shangyu",  # 上虞区 (上虞市 before 2013)
    "zhuji",  # 诸暨市
    "shengzhou",  # 嵊州市
    "xinchang",  # 新昌县
    "hangzhou",  # 杭州市
    "ningbo",  # 宁波市
    "shanghai",  # 上海市
)
REGION_NAMES_ZH: dict[str, str] = {
    "yuecheng": "越城区",
    "keqiao": "柯桥区",
    "shangyu": "上虞区",
    "zhuji": "诸暨市",
    "shengzhou": "嵊州市",
    "xinchang": "新昌县",
    "hangzhou": "杭州市",
    "ningbo": "宁波市",
    "shanghai": "上海市",
}
REGION_NAMES_EN: dict[str, str] = {r: r.capitalize() for r in REGIONS}
SHAOXING_REGIONS: tuple[str, ...] = REGIONS[:6]
N_REGIONS = len(REGIONS)
N_SHAOXING = len(SHAOXING_REGIONS)
REGION_INDEX: dict[str, int] = {r: i for i, r in enumerate(REGIONS)}
HANGZHOU, NINGBO, SHANGHAI = (REGION_INDEX[r] for r in ("hangzhou", "ningbo", "shanghai"))
POLE_INDICES: tuple[int, ...] = (HANGZHOU, NINGBO, SHANGHAI)

# Administrative codes of the prefecture-level cities the regions belong to.
SHAOXING_CITY_CODE = 330600
CORRIDOR_CITY_CODES: dict[str, int] = {
    "shaoxing": 330600,
    "hangzhou": 330100,
    "ningbo": 330200,
    "shanghai": 310000,
}

SECTORS: tuple[str, ...] = (
    "textiles_dyeing",  # 纺织印染: Shaoxing's largest traditional industry
    "chemicals",  # 化工
    "equipment",  # 高端装备 / traditional machinery
    "electronics_ic",  # 集成电路 / 电子信息
    "biomedicine",  # 现代医药 / 高端生物医药
    "new_materials",  # 新材料
    "digital_economy",  # 数字经济 core industries
    "services",  # market services (modern services, trade, logistics)
    "other",  # other manufacturing (incl. the remaining of the 13 traditional industries)
)
N_SECTORS = len(SECTORS)
SECTOR_INDEX: dict[str, int] = {s: i for i, s in enumerate(SECTORS)}
# Sectors under the environmental compliance regime of the source text (印染组团, 化工集聚).
POLLUTING_SECTORS: tuple[str, ...] = ("textiles_dyeing", "chemicals")
# Strategic emerging industries named in the text (高端装备、电子信息、现代医药、新材料).
EMERGING_SECTORS: tuple[str, ...] = ("equipment", "electronics_ic", "biomedicine", "new_materials")
# Sectors holding the "13 key traditional industries" eligible for intelligent transformation.
TRADITIONAL_SECTORS: tuple[str, ...] = ("textiles_dyeing", "chemicals", "other")

SKILLS: tuple[str, ...] = ("unskilled", "skilled")
UNSKILLED, SKILLED = 0, 1
