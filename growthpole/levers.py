"""The policy catalogue: every measure of the source document as a lever.

Each :class:`Lever` has a YAML key (``pillar.measure``), a unit, an allowed range, a default
(its value under the policies as they stood in 2019, the baseline), the mechanisms it acts
through, the verbatim Chinese clause of the source document it models, and an ``effect``:
how one unit of the lever changes the :class:`~growthpole.policy.PolicyChannels`. The
coefficients of the effects are assumptions, stated in ``effect_note`` and in docs/model.md;
they are the natural object of sensitivity analysis (``growthpole sensitivity``).

Measures that have no economic channel the model can represent are listed in
:data:`OMISSIONS` with the reason.

Schedules: in a scenario, ``levers: {key: value}`` or ``levers: {key: {year: value, ...}}``;
the value holds from its year until the next scheduled year (step function); before the first
scheduled year the default applies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from growthpole.errors import ScenarioError
from growthpole.policy import PolicyChannels
from growthpole.regions import (
    EMERGING_SECTORS,
    N_SHAOXING,
    POLLUTING_SECTORS,
    REGION_INDEX,
    SECTOR_INDEX,
    TRADITIONAL_SECTORS,
)

Effect = Callable[[PolicyChannels, float], None]

PILLARS: tuple[str, ...] = (
    "integration", "platforms", "industry_upgrade", "innovation_talent", "green",
    "business_environment",
)

SX = slice(0, N_SHAOXING)  # Shaoxing's six county-level units
R = REGION_INDEX
S = SECTOR_INDEX


@dataclass(frozen=True)
class Lever:
    """One policy measure a scenario can switch on, scale and schedule."""

    key: str
    pillar: str
    title: str
    unit: str
    lower: float
    upper: float
    default: float
    mechanisms: tuple[str, ...]
    clause: str
    effect_note: str
    effect: Effect
    event: bool = False
    """an event lever acts only in the years its schedule names (a bare number: the first
    simulated year), e.g. a count of projects starting that year; others hold their value."""

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key, "pillar": self.pillar, "title": self.title, "unit": self.unit,
            "range": [self.lower, self.upper], "default": self.default,
            "mechanisms": list(self.mechanisms), "clause": self.clause,
            "effect": self.effect_note,
        }


# ---------------------------------------------------------------------------------------
# effect helpers: each returns a function (channels, value) -> None
# ---------------------------------------------------------------------------------------

def _cut_travel_time(pairs: list[tuple[int, int]]) -> Effect:
    def effect(ch: PolicyChannels, value: float) -> None:
        for a, b in pairs:
            ch.travel_time_factor[a, b] *= 1.0 - value
            ch.travel_time_factor[b, a] *= 1.0 - value
    return effect


def _shaoxing_pole_pairs(pole: str, units: tuple[str, ...] | None = None) -> list[tuple[int, int]]:
    regions = units if units is not None else tuple(list(R)[:N_SHAOXING])
    return [(R[u], R[pole]) for u in regions]


def _same_city(unit: str, coefficient: float) -> Effect:
    def effect(ch: PolicyChannels, value: float) -> None:
        a, b = R[unit], R["hangzhou"]
        ch.same_city_commuting[a, b] += coefficient * value
        ch.same_city_commuting[b, a] += coefficient * value
        ch.travel_time_factor[a, b] *= 1.0 - 0.15 * value
        ch.travel_time_factor[b, a] *= 1.0 - 0.15 * value
    return effect


def _add_region(name: str, coefficient: float, regions: slice | list[int] = SX) -> Effect:
    def effect(ch: PolicyChannels, value: float) -> None:
        getattr(ch, name)[regions] += coefficient * value
    return effect


def _mul_region(name: str, coefficient: float, regions: slice | list[int] = SX) -> Effect:
    """channel *= (1 + coefficient * value) over the regions (coefficient < 0 cuts)."""
    def effect(ch: PolicyChannels, value: float) -> None:
        getattr(ch, name)[regions] *= 1.0 + coefficient * value
    return effect


def _entry(coefficient: float, sectors: tuple[str, ...] | None = None,
           regions: slice | list[int] = SX) -> Effect:
    def effect(ch: PolicyChannels, value: float) -> None:
        cols = [S[s] for s in sectors] if sectors else slice(None)
        block = ch.entry_multiplier[regions]
        block[:, cols] *= 1.0 + coefficient * value
        ch.entry_multiplier[regions] = block
    return effect


def _sector_add(name: str, coefficient: float, sectors: tuple[str, ...],
                regions: slice | list[int] = SX) -> Effect:
    def effect(ch: PolicyChannels, value: float) -> None:
        arr = getattr(ch, name)
        cols = [S[s] for s in sectors]
        if arr.ndim == 1:
            arr[cols] += coefficient * value
        else:
            block = arr[regions]
            block[:, cols] += coefficient * value
            arr[regions] = block
    return effect


def _sector_mul(name: str, coefficient: float, sectors: tuple[str, ...]) -> Effect:
    def effect(ch: PolicyChannels, value: float) -> None:
        arr = getattr(ch, name)
        arr[[S[s] for s in sectors]] *= 1.0 + coefficient * value
    return effect


def _scalar_add(name: str, coefficient: float) -> Effect:
    def effect(ch: PolicyChannels, value: float) -> None:
        setattr(ch, name, getattr(ch, name) + coefficient * value)
    return effect


def _scalar_mul(name: str, coefficient: float) -> Effect:
    def effect(ch: PolicyChannels, value: float) -> None:
        setattr(ch, name, getattr(ch, name) * (1.0 + coefficient * value))
    return effect


def _platform(kind: str) -> Effect:
    def effect(ch: PolicyChannels, value: float) -> None:
        ch.platform_development[kind] = min(1.0, ch.platform_development.get(kind, 0.0) + value)
    return effect


def _major_projects(ch: PolicyChannels, value: float) -> None:
    ch.major_projects += round(value)


def _both(*effects: Effect) -> Effect:
    def effect(ch: PolicyChannels, value: float) -> None:
        for single in effects:
            single(ch, value)
    return effect


INTENSITY = "intensity (0 = as in 2019, 1 = fully implemented)"

# ---------------------------------------------------------------------------------------
# the catalogue, in the order of the source document
# ---------------------------------------------------------------------------------------
_LEVERS: tuple[Lever, ...] = (
    # ---- 融杭联甬接沪 and open-cooperation platforms --------------------------------------
    Lever("integration.hangzhou_travel_time_cut", "integration", "融杭: faster Shaoxing-Hangzhou "
          "links (intercity rail, expressways)", "share of 2019 travel time removed", 0.0, 0.6,
          0.0, ("geography", "market_access", "labour", "migration", "productivity"),
          "绍兴需深化“融杭联甬接沪”战略",
          "travel time between every Shaoxing unit and Hangzhou x (1 - value)",
          _cut_travel_time(_shaoxing_pole_pairs("hangzhou"))),
    Lever("integration.ningbo_travel_time_cut", "integration", "联甬: faster Shaoxing-Ningbo links",
          "share of 2019 travel time removed", 0.0, 0.6, 0.0,
          ("geography", "market_access", "labour", "migration", "productivity"),
          "绍兴需深化“融杭联甬接沪”战略",
          "travel time between every Shaoxing unit and Ningbo x (1 - value)",
          _cut_travel_time(_shaoxing_pole_pairs("ningbo"))),
    Lever("integration.shanghai_travel_time_cut", "integration", "接沪: faster Shaoxing-Shanghai "
          "links; deep connection with Songjiang and Hongqiao", "share of 2019 travel time "
          "removed", 0.0, 0.6, 0.0,
          ("geography", "market_access", "labour", "migration", "productivity"),
          "全面落实深度接轨上海行动计划，加强与松江区、虹桥商务区等重点区域合作",
          "travel time between every Shaoxing unit and Shanghai x (1 - value)",
          _cut_travel_time(_shaoxing_pole_pairs("shanghai"))),
    Lever("integration.trade_cost_cut", "integration", "Yangtze River Delta integration: lower "
          "trade costs across the corridor", "share of the per-hour trade cost removed", 0.0,
          0.5, 0.0, ("market_access",),
          "绍兴应抓住长三角一体化发展上升为国家战略和“四大建设”机遇",
          "iceberg trade cost per hour for Shaoxing's pairs x (1 - value)",
          _scalar_mul("trade_cost_factor", -1.0)),
    Lever("integration.keqiao_hangzhou_same_city", "integration", "柯桥融杭同城先行区 "
          "Keqiao-Hangzhou same-city zone", INTENSITY, 0.0, 1.0, 0.0,
          ("labour", "geography", "migration"),
          "推进柯桥融杭同城先行区",
          "commuting share Keqiao<->Hangzhou +0.04 x value; their travel time x (1 - 0.15 value)",
          _same_city("keqiao", 0.04)),
    Lever("integration.zhuji_hangzhou_same_city", "integration", "诸暨与杭同城发展带 "
          "Zhuji-Hangzhou same-city belt", INTENSITY, 0.0, 1.0, 0.0,
          ("labour", "geography", "migration"),
          "诸暨与杭同城发展带",
          "commuting share Zhuji<->Hangzhou +0.03 x value; their travel time x (1 - 0.15 value)",
          _same_city("zhuji", 0.03)),
    Lever("integration.shengxin_yiwu_ningbo_corridor", "integration", "嵊新义甬舟开放协作通道 "
          "Shengzhou-Xinchang-Yiwu-Ningbo-Zhoushan corridor", "share of 2019 travel time "
          "removed", 0.0, 0.6, 0.0, ("geography", "market_access"),
          "嵊新义甬舟开放协作通道建设取得新突破",
          "travel time Shengzhou/Xinchang <-> Ningbo x (1 - value); their external market "
          "access x (1 + 0.05 value)",
          _both(_cut_travel_time(_shaoxing_pole_pairs("ningbo", ("shengzhou", "xinchang"))),
                _mul_region("external_market_access", 0.05, [R["shengzhou"], R["xinchang"]]))),
    Lever("integration.airport_economy_extension", "integration", "杭州临空经济示范区绍兴拓展区 "
          "Hangzhou airport-economy zone extension", INTENSITY, 0.0, 1.0, 0.0,
          ("market_access",),
          "谋划杭州临空经济示范区绍兴拓展区建设",
          "external market access of Keqiao and Yuecheng x (1 + 0.05 value)",
          _mul_region("external_market_access", 0.05, [R["keqiao"], R["yuecheng"]])),
    Lever("integration.cross_border_ecommerce_zone", "integration", "国家级跨境电子商务综合试验区 "
          "cross-border e-commerce pilot zone", INTENSITY, 0.0, 1.0, 0.0,
          ("market_access", "firms"),
          "高品质建设国家级跨境电子商务综合试验区",
          "Shaoxing external market access x (1 + 0.04 value); entry of digital-economy and "
          "services firms x (1 + 0.1 value)",
          _both(_mul_region("external_market_access", 0.04),
                _entry(0.1, ("digital_economy", "services")))),
    Lever("integration.comprehensive_bonded_zone", "integration", "国家级综合保税区 bonded zone",
          INTENSITY, 0.0, 1.0, 0.0, ("market_access",),
          "全力争取国家级综合保税区和市场采购贸易试点获批落地",
          "Shaoxing external market access x (1 + 0.03 value)",
          _mul_region("external_market_access", 0.03)),
    Lever("integration.market_procurement_trade", "integration", "市场采购贸易试点 market-"
          "procurement trade pilot (textile markets of Keqiao)", INTENSITY, 0.0, 1.0, 0.0,
          ("market_access",),
          "全力争取国家级综合保税区和市场采购贸易试点获批落地",
          "external market access of Keqiao x (1 + 0.06 value), of other Shaoxing units "
          "x (1 + 0.01 value)",
          _both(_mul_region("external_market_access", 0.01),
                _mul_region("external_market_access", 0.05, [R["keqiao"]]))),
    Lever("integration.ftz_linkage_area", "integration", "自贸试验区联动创新区 free-trade-zone "
          "linkage area", INTENSITY, 0.0, 1.0, 0.0, ("market_access", "firms"),
          "积极筹建自贸试验区联动创新区",
          "Shaoxing external market access x (1 + 0.02 value); red tape -0.2% of VA x value",
          _both(_mul_region("external_market_access", 0.02),
                _add_region("regulation_cost_cut", 0.002))),
    # ---- 一区两廊 and platforms ------------------------------------------------------------
    Lever("platforms.binhai_new_area", "platforms", "滨海新区 Binhai New Area: development of "
          "the 47 km² start area and its IC projects (长电科技, 豪威科技)", "share of the 47 km² "
          "start area developed beyond 2019", 0.0, 1.0, 0.0,
          ("platforms", "relocation", "firms", "land"),
          "加快 47平方公里启动区开发建设，提升城市基础设施和公共服务配套水平，推进长电科技、"
          "豪威科技等项目建设",
          "opens value x the start area's land to firms, with the platform's subsidy and "
          "sector focus",
          _platform("binhai_new_area")),
    Lever("platforms.binhai_administration", "platforms", "Binhai: 大部制, flat administration, "
          "development group", INTENSITY, 0.0, 1.0, 0.0, ("firms", "platforms"),
          "健全大部制、扁平化高效运行机制，推进新区发展集团实体化运作",
          "red tape in Shangyu and Yuecheng (the new area's host units) -0.5% of VA x value; "
          "platform quality +0.1 x value",
          _both(_add_region("regulation_cost_cut", 0.005, [R["shangyu"], R["yuecheng"]]),
                _scalar_add("platform_quality", 0.1))),
    Lever("platforms.science_cities", "platforms", "科创大走廊: 滨海 and 镜湖 science cities "
          "linked to the G60, Hangzhou Chengxi and Ningbo Yongjiang corridors", INTENSITY, 0.0,
          1.0, 0.0, ("platforms", "productivity"),
          "深入实施“科创大走廊三年行动计划”，重点打造滨海、镜湖科技城，主动对接 G60、杭州城西、"
          "宁波甬江等科创走廊",
          "develops the science-city platforms; knowledge travel time from the poles "
          "x (1 - 0.1 value)",
          _both(_platform("science_city"), _mul_region("spillover_time_factor", -0.1))),
    Lever("platforms.rd_enclaves", "innovation_talent", "研发飞地: R&D enclaves in Shanghai, "
          "Hangzhou and Ningbo", "enclaves (number)", 0.0, 10.0, 0.0, ("productivity",),
          "支持在沪杭甬设立创新研发飞地",
          "knowledge travel time from the poles x (1 - 0.03 per enclave)",
          _mul_region("spillover_time_factor", -0.03)),
    Lever("platforms.cultural_corridor", "platforms", "文创大走廊: canal, Tang-poetry road and "
          "ancient-Yue culture belts", INTENSITY, 0.0, 1.0, 0.0, ("migration",),
          "大力建设文创大走廊，实施浙东运河文化带、浙东唐诗之路文化带、古越文明文化带三年行动计划",
          "amenity utility of Shaoxing units +0.05 x value; non-firm GDP growth +0.1 pp x value",
          _both(_add_region("amenity_add", 0.05), _add_region("nonmodelled_growth_add", 0.001))),
    Lever("platforms.tourism_resorts", "platforms", "兰亭, 鉴湖, 曹娥江 national tourism resorts",
          INTENSITY, 0.0, 1.0, 0.0, ("migration", "firms"),
          "高标准建设兰亭文化旅游度假区，推进鉴湖旅游度假区、曹娥江旅游度假区创建国家级旅游度假区",
          "amenity +0.03 x value; services entry x (1 + 0.05 value); non-firm GDP growth "
          "+0.1 pp x value",
          _both(_add_region("amenity_add", 0.03), _entry(0.05, ("services",)),
                _add_region("nonmodelled_growth_add", 0.001))),
    Lever("platforms.ic_biomedicine_platforms", "platforms", "集成电路 and 高端生物医药 "
          "“万亩千亿” platforms (10,000 mu each)", "share of the 10,000 mu developed beyond "
          "2019", 0.0, 1.0, 0.0, ("platforms", "relocation", "firms", "land"),
          "扎实推进集成电路、高端生物医药省级“万亩千亿”新产业平台建设",
          "opens value x 10,000 mu per platform to IC and biomedicine firms",
          _platform("wanmu_qianyi")),
    Lever("platforms.national_ic_innovation_centre", "platforms", "国家集成电路产业创新中心 "
          "national IC innovation centre", INTENSITY, 0.0, 1.0, 0.0, ("productivity",),
          "努力打造国家集成电路产业创新中心",
          "R&D intensity of Shaoxing IC firms +1 pp of VA x value; one IC research institute",
          _both(_sector_add("rd_intensity_add", 0.01, ("electronics_ic",)),
                _sector_add("research_institutes", 1.0, ("electronics_ic",)))),
    Lever("platforms.characteristic_towns", "platforms", "2.0 characteristic towns (时尚纺织, "
          "旅游休闲, 历史经典)", INTENSITY, 0.0, 1.0, 0.0, ("platforms", "productivity"),
          "加快时尚纺织、旅游休闲、历史经典产业等 2.0版特色小镇建设",
          "develops the characteristic-town platforms (textiles, services, other)",
          _platform("characteristic_town")),
    Lever("platforms.zone_star_rating", "platforms", "开发区星级评定 star rating and integration "
          "of development zones", INTENSITY, 0.0, 1.0, 0.0, ("platforms", "land"),
          "建立健全开发区（工业园区）星级评定管理体系，完成一批工业园区整合提升",
          "platform quality +0.2 x value; land-efficiency pressure +0.2 x value",
          _both(_scalar_add("platform_quality", 0.2),
                _scalar_add("land_efficiency_pressure", 0.2))),
    Lever("platforms.industrial_chain_chiefs", "platforms", "链长制 industrial-chain chiefs",
          "chains (number)", 0.0, 20.0, 0.0, ("productivity",),
          "省级以上开发区培育打造若干条“链长制”产业链",
          "agglomeration elasticity in Shaoxing x (1 + 0.02 per chain)",
          _scalar_mul("agglomeration_multiplier", 0.02)),
    Lever("platforms.micro_enterprise_parks", "platforms", "百园万企: new provincial micro-"
          "enterprise parks", INTENSITY, 0.0, 1.0, 0.0, ("platforms", "firms"),
          "实施“百园万企”工程，新增一批省级小微企业园",
          "develops the micro-enterprise-park platforms; young-firm exit x (1 - 0.1 value)",
          _both(_platform("micro_enterprise_park"),
                _mul_region("young_firm_exit_multiplier", -0.1))),
    # ---- 提质提效: emerging industries --------------------------------------------------------
    Lever("industry.emerging_industries", "industry_upgrade",
          "高端装备、电子信息、现代医药、新材料: "
          "raise the strategic-emerging-industry share", "subsidy, share of value added", 0.0,
          0.05, 0.0, ("firms", "relocation"),
          "聚焦高端装备、电子信息、现代医药、新材料发展，提升战略性新兴产业占比",
          "subsidy of value added to emerging-sector firms in Shaoxing; their entry "
          "x (1 + 4 value)",
          _both(_sector_add("sector_subsidy", 1.0, EMERGING_SECTORS),
                _entry(4.0, EMERGING_SECTORS))),
    Lever("industry.digital_economy_doubling", "industry_upgrade", "数字经济五年倍增计划 digital-"
          "economy doubling plan", INTENSITY, 0.0, 1.0, 0.0, ("firms", "digital"),
          "深入实施数字经济五年倍增计划",
          "digital-economy entry x (1 + 0.5 value); adoption of digital transformation "
          "x (1 + 0.3 value) in all sectors",
          _both(_entry(0.5, ("digital_economy",)),
                _sector_mul("digital_adoption_multiplier", 0.3, tuple(S)))),
    Lever("industry.major_ic_projects", "industry_upgrade", "中芯国际 (SMIC) and other major IC "
          "projects", "projects starting in the year", 0.0, 5.0, 0.0, ("firms",),
          "推进中芯国际等重大项目建设",
          "each project enters as one large IC firm agent (capital 100 亿元 at base prices) in "
          "the years the schedule names (an event, not a level)",
          _major_projects, event=True),
    Lever("industry.5g_coverage", "industry_upgrade", "5G full coverage and 5G industrial "
          "applications", INTENSITY, 0.0, 1.0, 0.0, ("digital", "market_access"),
          "加快城市建成区 5G网络全覆盖，打造全省 5G工业应用先行区",
          "digital adoption x (1 + 0.2 value); gain of adoption x (1 + 0.1 value)",
          _both(_sector_mul("digital_adoption_multiplier", 0.2, tuple(S)),
                _scalar_mul("digital_gain_multiplier", 0.1))),
    Lever("industry.industrial_internet", "industry_upgrade", "industrial-internet platforms and "
          "cloud adoption (上云企业)", INTENSITY, 0.0, 1.0, 0.0, ("digital",),
          "积极参与长三角工业互联网平台建设，新增一批省级工业互联网平台和上云企业",
          "digital adoption of manufacturing x (1 + 0.3 value)",
          _sector_mul("digital_adoption_multiplier", 0.3,
                      tuple(s for s in S if s not in ("services", "digital_economy")))),
    Lever("industry.civil_military_fusion", "industry_upgrade", "军民融合 provincial "
          "demonstration zone", INTENSITY, 0.0, 1.0, 0.0, ("firms",),
          "推进军民融合省级示范区建设",
          "equipment and new-materials entry x (1 + 0.1 value)",
          _entry(0.1, ("equipment", "new_materials"))),
    Lever("industry.general_aviation", "industry_upgrade", "国家通航产业综合示范区 general-"
          "aviation pilot (Xinchang)", INTENSITY, 0.0, 1.0, 0.0, ("firms",),
          "深化国家通航产业综合示范区试点",
          "equipment entry in Xinchang x (1 + 0.5 value), elsewhere in Shaoxing x (1 + 0.05 "
          "value)",
          _both(_entry(0.05, ("equipment",)), _entry(0.45, ("equipment",), [R["xinchang"]]))),
    Lever("industry.manufacturing_services_fusion", "industry_upgrade", "先进制造业和现代服务业深度"
          "融合: exhibitions, industrial design, testing", INTENSITY, 0.0, 1.0, 0.0,
          ("firms", "productivity"),
          "推进先进制造业和现代服务业深度融合，鼓励发展会展经济、工业设计、检验检测等新业态新模式",
          "services entry x (1 + 0.15 value); services R&D +0.3 pp of VA x value",
          _both(_entry(0.15, ("services",)),
                _sector_add("rd_intensity_add", 0.003, ("services",)))),
    Lever("industry.new_retail_night_economy", "industry_upgrade", "新零售, night economy, "
          "digital retail", INTENSITY, 0.0, 1.0, 0.0, ("firms", "migration"),
          "培育发展“新零售”经济、夜间经济，推动传统商贸业态创新、商贸企业数字化转型",
          "services entry x (1 + 0.1 value); amenity +0.02 x value; services digital adoption "
          "x (1 + 0.3 value)",
          _both(_entry(0.1, ("services",)), _add_region("amenity_add", 0.02),
                _sector_mul("digital_adoption_multiplier", 0.3, ("services",)))),
    # ---- traditional industry -----------------------------------------------------------
    Lever("industry.traditional_upgrade_plan", "industry_upgrade", "传统产业改造提升“新三年行动"
          "计划” (provincial pilot 2.0)", "share of transformation cost subsidised", 0.0, 0.5,
          0.0, ("digital",),
          "制定传统产业改造提升“新三年行动计划”，打造省级试点 2.0版",
          "government pays value x the adoption cost of transformation",
          _scalar_add("upgrade_subsidy", 1.0)),
    Lever("industry.dyeing_chemical_clusters", "green", "印染组团 and 化工企业集聚提升: "
          "concentrate dyeing and chemical firms", INTENSITY, 0.0, 1.0, 0.0,
          ("environment", "relocation", "land"),
          "推进印染组团建设与化工企业集聚提升，争创全国印染产业创新中心、国家现代纺织先进制造业集群",
          "dyeing/chemical firms outside a cluster face +1.5% of VA cost x value and relocate "
          "into the clusters; cluster firms' emission intensity -20% x value",
          _scalar_add("cluster_concentration", 1.0)),
    Lever("industry.intelligent_transformation", "industry_upgrade", "13个重点传统产业智能化改造 "
          "(智慧桥, 智慧链, 智慧库)", INTENSITY, 0.0, 1.0, 0.0, ("digital",),
          "推进 13个重点传统产业智能化改造，重点实施“智慧桥“”智慧链“”智慧库”建设行动",
          "digital adoption of the traditional sectors x (1 + 1.0 value)",
          _sector_mul("digital_adoption_multiplier", 1.0, TRADITIONAL_SECTORS)),
    Lever("industry.mu_efficiency_reform", "industry_upgrade", "亩均论英雄: judge firms by output "
          "per mu of land", INTENSITY, 0.0, 1.0, 0.0, ("land", "firms", "relocation"),
          "深化“亩均论英雄”改革，启动亩均效益区域评价试点",
          "land-efficiency pressure + value: the bottom firms by value added per mu upgrade, "
          "relocate or exit and free land",
          _scalar_add("land_efficiency_pressure", 1.0)),
    Lever("industry.prefab_steel_housing", "industry_upgrade", "钢结构装配式住宅 provincial pilot",
          INTENSITY, 0.0, 1.0, 0.0, ("migration",),
          "推进钢结构装配式住宅省级试点",
          "housing cost in Shaoxing x (1 - 0.02 value)",
          _mul_region("housing_cost_factor", -0.02)),
    Lever("industry.digital_agriculture", "industry_upgrade", "数字农业 demonstration sites and "
          "digital agriculture factories", INTENSITY, 0.0, 1.0, 0.0, ("gdp",),
          "推动数字农业示范点建设，创建一批省级数字农业工厂",
          "real growth of non-firm GDP (incl. agriculture) +0.1 pp x value",
          _add_region("nonmodelled_growth_add", 0.001)),
    # ---- innovation and talent -----------------------------------------------------------
    Lever("innovation.xinchang_experience", "innovation_talent", "科技创新“新昌经验” and the "
          "national innovative-city bid", "additional R&D spending, share of value added", 0.0,
          0.03, 0.0, ("productivity",),
          "全面推广科技创新“新昌经验”，争取国家创新型城市通过科技部预评估",
          "R&D intensity of all Shaoxing firms + value",
          _sector_add("rd_intensity_add", 1.0, tuple(S))),
    Lever("innovation.industry_research_institutes", "innovation_talent", "一个产业一个研究院 "
          "one research institute per industry; university-built institutes",
          "share of sectors with an institute", 0.0, 1.0, 0.0, ("productivity",),
          "深化“一个产业一个研究院”建设，做实做强高校共建研究院",
          "every sector gets value institutes (one per industry at 1)",
          _sector_add("research_institutes", 1.0, tuple(S))),
    Lever("innovation.tech_firm_doubling", "innovation_talent", "科技型企业“双倍增” and provincial "
          "industry innovation complexes", INTENSITY, 0.0, 1.0, 0.0, ("firms", "productivity"),
          "推进科技型企业“双倍增”计划，加快建设省级产业创新服务综合体",
          "entry of emerging and digital firms x (1 + 0.3 value); their R&D +0.5 pp x value",
          _both(_entry(0.3, (*EMERGING_SECTORS, "digital_economy")),
                _sector_add("rd_intensity_add", 0.005, (*EMERGING_SECTORS, "digital_economy")))),
    Lever("innovation.tech_market", "innovation_talent", "绍兴科技大市场 2.0 technology market",
          INTENSITY, 0.0, 1.0, 0.0, ("productivity",),
          "打造绍兴科技大市场 2.0 版",
          "catch-up rate toward the poles x (1 + 0.2 value)",
          _mul_region("absorptive_capacity", 0.2)),
    Lever("innovation.talent_enclaves", "innovation_talent",
          "人才飞地 talent enclaves in Shanghai, "
          "Hangzhou and Shenzhen", "share of hosts' skilled workers reachable", 0.0, 0.01, 0.0,
          ("labour",),
          "深入对接长三角地区科创资源，布局设立上海、杭州、深圳“人才飞地”",
          "Shaoxing firms may employ this share of the hosts' skilled workers (Shenzhen: a "
          "fixed pool, see docs/model.md)",
          _scalar_add("enclave_share", 1.0)),
    Lever("innovation.talent_programmes", "innovation_talent", "国千/省千 national and provincial "
          "thousand-talents recruitment; 千人计划 industrial park", "talent subsidy, share of "
          "the skilled wage", 0.0, 0.5, 0.0, ("migration",),
          "大力引进“国千“”省千”人才，全面提升省“千人计划”产业园",
          "skilled people's utility of Shaoxing units + log(1 + value)",
          lambda ch, v: _add_region("skilled_subsidy", 1.0)(ch, float(np.log1p(v)))),
    # ---- green development ---------------------------------------------------------------
    Lever("green.air_pollution_control", "green", "VOCs and dust control; PM2.5 standard",
          "compliance cost, share of value added of dyeing and chemicals", 0.0, 0.05, 0.0,
          ("environment", "migration"),
          "加大工业挥发性有机物（VOCs）、扬尘综合治理力度，确保 PM2.5全市平均浓度 达标",
          "compliance cost of polluting sectors + value; emission standard + 4 value; amenity "
          "+ 1.0 value",
          _both(_sector_add("compliance_cost", 1.0, POLLUTING_SECTORS),
                _scalar_add("emission_standard", 4.0), _add_region("amenity_add", 1.0))),
    Lever("green.zero_discharge_zones", "green", "污水零直排区 zero-direct-discharge parks and "
          "towns; river chiefs; Class III+ water", "compliance cost, share of value added of "
          "dyeing and chemicals", 0.0, 0.05, 0.0, ("environment", "migration"),
          "深化河湖长制信息化管理，创建一批工业园区和乡镇“污水零直排区”，确保国考、省控断面Ⅲ类及以上"
          "水质比例 100%",
          "compliance cost of polluting sectors + value; emission standard + 4 value; amenity "
          "+ 0.5 value",
          _both(_sector_add("compliance_cost", 1.0, POLLUTING_SECTORS),
                _scalar_add("emission_standard", 4.0), _add_region("amenity_add", 0.5))),
    Lever("green.soil_protection", "green", "soil pollution prevention", "compliance cost, share "
          "of value added of chemicals", 0.0, 0.02, 0.0, ("environment",),
          "完善土壤污染防治机制",
          "compliance cost of chemicals + value",
          _sector_add("compliance_cost", 1.0, ("chemicals",))),
    Lever("green.no_waste_city", "green", "无废城市 no-waste-city pilot; solid-waste "
          "“Shaoxing standard”", "compliance cost, share of value added of industry", 0.0,
          0.02, 0.0, ("environment",),
          "推进国家“无废城市”建设试点，打造固废处置“绍兴标准”",
          "compliance cost of all manufacturing + value; emission standard + 2 value",
          _both(_sector_add("compliance_cost", 1.0,
                            tuple(s for s in S if s not in ("services", "digital_economy"))),
                _scalar_add("emission_standard", 2.0))),
    # ---- business environment -------------------------------------------------------------
    Lever("business.most_one_trip", "business_environment", "最多跑一次 'at most one trip' and "
          "whole-life-cycle 一件事 reform", INTENSITY, 0.0, 1.0, 0.0, ("firms",),
          "纵深推进“最多跑一次”改革，整合再造个人和企业全生命周期“一件事”流程",
          "entry x (1 + 0.15 value); red tape -0.5% of VA x value",
          _both(_entry(0.15), _add_region("regulation_cost_cut", 0.005))),
    Lever("business.online_services", "business_environment", "网上办、掌上办 and 24-hour self-"
          "service halls", INTENSITY, 0.0, 1.0, 0.0, ("firms",),
          "推动一批高频事项入驻“网上办、掌上办”专区，建成一批 24小时自助服务区",
          "red tape -0.3% of VA x value",
          _add_region("regulation_cost_cut", 0.003)),
    Lever("business.standard_land_commitment", "business_environment", "标准地, 承诺制, "
          "intermediary reform; investment platform 3.0", INTENSITY, 0.0, 1.0, 0.0,
          ("firms",),
          "深化标准地、承诺制、中介服务改革，完善投资项目在线平台 3.0 功能",
          "speed of capital adjustment x (1 + 0.3 value)",
          _mul_region("investment_speed", 0.3)),
    Lever("business.license_separation", "business_environment", "证照分离 and e-licences",
          INTENSITY, 0.0, 1.0, 0.0, ("firms",),
          "全面推进证照分离改革，争创电子证照应用国家试点",
          "entry x (1 + 0.1 value)",
          _entry(0.1)),
    Lever("business.credit_system_531x", "business_environment", "信用体系“531X” and internet+"
          "supervision+credit", INTENSITY, 0.0, 1.0, 0.0, ("firms",),
          "深化信用体系“531X”工程建设，抓好“互联网＋监管＋信用＋风险预警”国家试点",
          "cost of capital x (1 - 0.05 value)",
          _mul_region("capital_cost_factor", -0.05)),
    Lever("business.private_economy_promotion", "business_environment", "民营企业发展促进条例, "
          "三服务, 越商 care", INTENSITY, 0.0, 1.0, 0.0, ("firms",),
          "实施民营企业发展促进条例，常态化开展“三服务”活动，健全越商关爱培育机制",
          "exit probability x (1 - 0.1 value)",
          _mul_region("exit_multiplier", -0.1)),
    Lever("business.covid_relief", "business_environment", "relief for firms hit by COVID-19",
          INTENSITY, 0.0, 1.0, 0.0, ("firms",),
          "及时帮扶受新冠肺炎疫情冲击较大的企业",
          "exit probability x (1 - 0.3 value) (schedule it for 2020-2022)",
          _mul_region("exit_multiplier", -0.3)),
    Lever("business.tax_fee_cuts", "business_environment", "减税降费 tax and fee cuts",
          "taxes and fees cut, share of value added", 0.0, 0.05, 0.0, ("firms", "relocation"),
          "巩固拓展减税降费成效",
          "profit + value x VA; cost of capital x (1 - value) (taxes on capital income)",
          _both(_add_region("profit_tax_cut", 1.0), _mul_region("capital_cost_factor", -1.0))),
    Lever("business.financing_access", "business_environment", "融资畅通工程 easier and cheaper "
          "credit for private firms", "cut of the cost of capital (share)", 0.0, 0.15, 0.0,
          ("firms",),
          "深化融资畅通工程，切实解决民企融资难融资贵问题",
          "cost of capital x (1 - value)",
          _mul_region("capital_cost_factor", -1.0)),
    Lever("business.phoenix_action", "business_environment", "凤凰行动: listings and M&A",
          INTENSITY, 0.0, 1.0, 0.0, ("firms",),
          "深入推进凤凰行动",
          "cost of capital x (1 - 0.05 value); speed of capital adjustment x (1 + 0.1 value)",
          _both(_mul_region("capital_cost_factor", -0.05), _mul_region("investment_speed", 0.1))),
    Lever("business.eagle_action", "business_environment", "雄鹰行动: leading firms",
          INTENSITY, 0.0, 1.0, 0.0, ("productivity",),
          "雄鹰行动",
          "top-decile Shaoxing firms' log TFP growth +0.5 pp x value",
          _scalar_add("leading_firm_tfp", 0.005)),
    Lever("business.fledgling_action", "business_environment", "雏鹰行动: start-ups and SMEs",
          INTENSITY, 0.0, 1.0, 0.0, ("firms",),
          "雏鹰行动，完善市场主体“热带雨林”生态",
          "entry x (1 + 0.1 value); young-firm exit x (1 - 0.2 value)",
          _both(_entry(0.1), _mul_region("young_firm_exit_multiplier", -0.2))),
)

LEVERS: dict[str, Lever] = {lever.key: lever for lever in _LEVERS}

OMISSIONS: dict[str, str] = {
    "两业经 / 双城计 / 活力城": "umbrella slogans of the strategy ('两业经“”双城计“”活力城'); "
    "their content is the measures below, each a lever",
    "2018 high-quality development evaluation": "context, not a measure ('根据 "
    "2018年浙江省高质量发展"
    "评价报告，绍兴综合得分全省第三')",
    "大禹陵, 浙东运河文化园, 宋六陵 projects": "individual cultural projects; modelled jointly by "
    "platforms.cultural_corridor ('加快建设大禹陵景区提升工程、浙东运河文化园、宋六陵遗址公园等"
    "重大项目')",
    "城市综合实力 (comprehensive city strength)": "the goal is also stated in a composite index the"
    " model does not compute; the model ranks by GDP, the index's dominant component",
}


def validate_levers(levers: Mapping[str, object], start_year: int, end_year: int, *,
                    file: str | None = None) -> None:
    """Check lever names, schedule years and values; raise ScenarioError on the first fault."""
    for key, schedule in levers.items():
        lever = LEVERS.get(key)
        if lever is None:
            close = [k for k in LEVERS if k.split(".")[-1] == str(key).split(".")[-1]]
            hint = f"; did you mean {close[0]}?" if close else "; `growthpole levers` lists them"
            raise ScenarioError(f"unknown lever{hint}", file=file, key=f"levers.{key}")
        items = schedule.items() if isinstance(schedule, Mapping) else [(None, schedule)]
        for year, value in items:
            where = f"levers.{key}" + (f".{year}" if year is not None else "")
            if year is not None and not (start_year <= int(year) <= end_year):
                raise ScenarioError(f"year {year} is outside the horizon {start_year}-{end_year}",
                                    file=file, key=where)
            if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
                raise ScenarioError(f"must be a number in [{lever.lower}, {lever.upper}] "
                                    f"({lever.unit}), got {value!r}", file=file, key=where)
            if not (lever.lower <= float(value) <= lever.upper):
                raise ScenarioError(f"{value} is outside the allowed range [{lever.lower}, "
                                    f"{lever.upper}] ({lever.unit})", file=file, key=where)


def lever_value(schedule: float | Mapping[int, float] | None, year: int, default: float) -> float:
    """Value of a step-function schedule in ``year``."""
    if schedule is None:
        return default
    if not isinstance(schedule, Mapping):
        return float(schedule)
    value = default
    for scheduled_year in sorted(schedule):
        if int(scheduled_year) <= year:
            value = float(schedule[scheduled_year])
    return value


def policy_for_year(levers: Mapping[str, float | Mapping[int, float]], year: int,
                    start_year: int | None = None) -> PolicyChannels:
    """Channels in ``year`` given the scenario's lever schedules (unset levers: default).
    Event levers act only in the years their schedule names (a bare number: in
    ``start_year + 1``, the first simulated year)."""
    channels = PolicyChannels()
    for key, lever in LEVERS.items():
        schedule = levers.get(key)
        if lever.event:
            if isinstance(schedule, Mapping):
                value = float(schedule.get(year, schedule.get(str(year), 0.0)))
            elif schedule is not None and start_year is not None and year == start_year + 1:
                value = float(schedule)
            else:
                value = 0.0
        else:
            value = lever_value(schedule, year, lever.default)
        if value != 0.0:
            lever.effect(channels, value)
    return channels


def catalogue_table() -> list[dict[str, object]]:
    """The catalogue as data (``growthpole levers --json``)."""
    return [lever.as_dict() for lever in _LEVERS]
