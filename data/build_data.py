#!/usr/bin/env python3
"""Build the growthpole data/ CSV files from hand transcriptions of cited publications.

Every number below was read off a stored copy of the publication named in SOURCES
(statistical bulletin, statistical yearbook table, or a web page reproducing the official
figure).  Nothing is estimated, interpolated or filled.  A value we could not see stays absent.

Run:  python3 data/build_data.py      (writes the CSVs next to this file)
Then: python3 data/check_data.py      (quality checks + comparison with the reference panel)
"""

import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------------------
# Sources (id -> citation).  'vintage' is given per row.
# --------------------------------------------------------------------------------------
SOURCES = {
    "ZJSY2003_T15-4": "Zhejiang Statistical Yearbook 2003, table 15-4 '地级市基本情况(2002年)' (GDP in 10k CNY, current prices), "
    "reproduced on Jinhua Statistics Bureau site http://tjj.jinhua.gov.cn/picture/old/W020170830586748176947.htm",
    "ZJSY2016_T17-2": "Zhejiang Statistical Yearbook 2016, table 17-2 '各市国民经济主要指标(2015年)', Zhejiang Provincial Bureau of Statistics, "
    "https://zjjcmspublic.oss-cn-hangzhou-zwynet-d01-a.internet.cloud.zj.gov.cn/jcms_files/jcms1/web3077/site/flash/tjj/Reports1/"
    "2016%E5%B9%B4%E7%BB%9F%E8%AE%A1%E5%B9%B4%E9%89%B4%E5%85%89%E7%9B%9820200120/html/cn/ (section 十七, table 17-2)",
    "NBSY2009_T3-1": "Ningbo Statistical Yearbook 2009, table 3-1 '历年生产总值' (GDP over the years, 100m CNY, current prices), Ningbo Bureau of Statistics, "
    "https://zjjcmspublic.oss-cn-hangzhou-zwynet-d01-a.internet.cloud.zj.gov.cn/jcms_files/jcms1/web3426/site/nbtjj/tjnj1/2009nbnj/html/0301.htm",
    "NB_GB2008": "宁波市2008年国民经济和社会发展统计公报 (Ningbo Bureau of Statistics), appended to Ningbo Statistical Yearbook 2009, "
    "https://zjjcmspublic.oss-cn-hangzhou-zwynet-d01-a.internet.cloud.zj.gov.cn/jcms_files/jcms1/web3426/site/nbtjj/tjnj1/2009nbnj/html/gb.htm",
    "NB_2020_cnnb": "Ningbo Daily 2021-01-27 reporting the 2020 figures released by Ningbo Bureau of Statistics / NBS Ningbo Survey Team (初步核算), "
    "http://daily.cnnb.com.cn/nbrb/html/2021-01/27/content_1259203.htm",
    "SX_GB2017": "绍兴市2017年国民经济和社会发展统计公报 (Shaoxing Bureau of Statistics), mirror http://www.xiaomonv0755.com/tjgb/11zj/35563.html",
    "SX_GB2019_sxedz": "Shaoxing 2019 figures (from 绍兴市2019年国民经济和社会发展统计公报) reproduced on the Shaoxing Economic Development Zone investment site "
    "https://sxedz.investchn.com/About/index/cid/202/pid/155.html",
    "SX_GB2021": "绍兴市2021年国民经济和社会发展统计公报 (Shaoxing Bureau of Statistics / NBS Shaoxing Survey Team), mirror https://web.xiaze.org/tjgb/202207/61298.html",
    "CNS_2022-01-26": "China News Service article '城市GDP竞争：谁春风得意？谁“蚌埠住了”？' (记者 李金磊, 2022-01-26), republished by Sina Finance; "
    "stored copy GitHub Rock-Candy-Tea/RSSHUB-PAGE source/_posts/金融/新浪财经/新浪财经－国內/城市GDP竞争：谁春风得意？谁_蚌埠住了_？.md "
    "(quotes each city's 2021 preliminary GDP as released by its statistics bureau)",
}

# --------------------------------------------------------------------------------------
# City GDP (100m CNY, current prices). One row per (city_code, year).
# (city_code, city, year, gdp, vintage, source_id, note)
# --------------------------------------------------------------------------------------
CITY_GDP = []


def add(code, name, year, gdp, vintage, src, note=""):
    CITY_GDP.append((code, name, year, gdp, vintage, src, note))


# Zhejiang yearbook 2003, table 15-4 (2002; 10k CNY -> 100m CNY by /10000, exact)
for code, name, wan in [
    ("330100", "杭州市", 17818302),
    ("330200", "宁波市", 15003435),
    ("330300", "温州市", 10609664),
    ("330400", "嘉兴市", 7064295),
    ("330500", "湖州市", 4225003),
    ("330600", "绍兴市", 9281491),
    ("330700", "金华市", 6804122),
    ("330800", "衢州市", 2003105),
    ("330900", "舟山市", 1460140),
    ("331000", "台州市", 8583079),
    ("331100", "丽水市", 1851028),
]:
    add(
        code,
        name,
        2002,
        round(wan / 10000, 4),
        "yearbook",
        "ZJSY2003_T15-4",
        "converted from 10k CNY",
    )

# Zhejiang yearbook 2016, table 17-2 (2015)
for code, name, v in [
    ("330100", "杭州市", 10050.21),
    ("330200", "宁波市", 8003.61),
    ("330400", "嘉兴市", 3517.81),
    ("330500", "湖州市", 2084.26),
    ("330600", "绍兴市", 4465.97),
    ("330900", "舟山市", 1092.85),
    ("330300", "温州市", 4618.08),
]:
    add(code, name, 2015, v, "yearbook", "ZJSY2016_T17-2")

# Ningbo yearbook 2009, table 3-1 (years other than 2002, which comes from the 2003 provincial yearbook
# in the contemporaneous vintage; the NBSY2009 value for 2002 is kept in corridor_indicators.csv).
# 2000-2004 in NBSY2009 are the series revised after the 1st national economic census (2004).
for y, v in [(2000, 1144.57), (2001, 1278.75), (2003, 1749.27), (2004, 2109.45)]:
    add(
        "330200",
        "宁波市",
        y,
        v,
        "census-revised",
        "NBSY2009_T3-1",
        "revised after 2004 economic census",
    )
for y, v in [(2005, 2449.31), (2006, 2874.44)]:
    add("330200", "宁波市", y, v, "yearbook", "NBSY2009_T3-1")
add("330200", "宁波市", 2008, 3964.1, "bulletin-preliminary", "NB_GB2008")
add("330200", "宁波市", 2020, 12408.7, "bulletin-preliminary", "NB_2020_cnnb")

# Shaoxing bulletins
add("330600", "绍兴市", 2017, 5108, "bulletin-preliminary", "SX_GB2017")
add("330600", "绍兴市", 2019, 5781, "bulletin-preliminary", "SX_GB2019_sxedz")
add("330600", "绍兴市", 2021, 6795, "bulletin-preliminary", "SX_GB2021")

# 2021 preliminary figures quoted by China News Service
for code, name, v in [
    ("110000", "北京市", 40269.6),
    ("310000", "上海市", 43214.85),
    ("440100", "广州市", 28231.97),
    ("500000", "重庆市", 27894.02),
    ("441900", "东莞市", 10855.35),
]:
    add(code, name, 2021, v, "bulletin-preliminary", "CNS_2022-01-26")

# --------------------------------------------------------------------------------------
# Corridor indicators (long format)
# (code, city, year, indicator, value, unit, vintage, source_id)
# --------------------------------------------------------------------------------------
CORRIDOR = []


def ci(code, name, year, ind, val, unit, vintage, src):
    CORRIDOR.append((code, name, year, ind, val, unit, vintage, src))


# ZJSY2016 T17-2 (2015): registered pop, sector VA -> shares computed? NO: we store the VA levels as published
for code, name, pop, gdp, p, s, t, ind, fai, exp_usd in [
    ("330100", "杭州市", 723.55, 10050.21, 287.95, 3909.01, 5853.25, 3497.83, 5556.32, 500.67),
    ("330200", "宁波市", 586.57, 8003.61, 284.68, 4098.22, 3620.71, 3632.86, 4506.58, 713.73),
    ("330600", "绍兴市", 443.11, 4465.97, 198.94, 2252.87, 2014.15, 1957.29, 2582.84, 271.42),
]:
    ci(code, name, 2015, "gdp", gdp, "100m CNY", "yearbook", "ZJSY2016_T17-2")
    ci(
        code,
        name,
        2015,
        "registered_population_10k",
        pop,
        "10k persons",
        "yearbook",
        "ZJSY2016_T17-2",
    )
    ci(code, name, 2015, "primary_va_100m_cny", p, "100m CNY", "yearbook", "ZJSY2016_T17-2")
    ci(code, name, 2015, "secondary_va_100m_cny", s, "100m CNY", "yearbook", "ZJSY2016_T17-2")
    ci(code, name, 2015, "tertiary_va_100m_cny", t, "100m CNY", "yearbook", "ZJSY2016_T17-2")
    ci(code, name, 2015, "industrial_va_100m_cny", ind, "100m CNY", "yearbook", "ZJSY2016_T17-2")
    ci(
        code,
        name,
        2015,
        "fixed_asset_investment_100m_cny",
        fai,
        "100m CNY",
        "yearbook",
        "ZJSY2016_T17-2",
    )
    ci(code, name, 2015, "exports_100m_usd", exp_usd, "100m USD", "yearbook", "ZJSY2016_T17-2")

# ZJSY2003 T15-4 (2002): registered pop (年末总人口), GDP, sector VA, industry VA (10k CNY -> 100m CNY)
for code, name, pop, gdp, p, s, ind, t in [
    ("330100", "杭州市", 636.81, 17818302, 1146388, 9018225, 7751194, 7653689),
    ("330200", "宁波市", 546.19, 15003435, 1057145, 8288794, 7495964, 5657496),
    ("330600", "绍兴市", 433.59, 9281491, 800638, 5393949, 4811581, 3086904),
]:
    ci(code, name, 2002, "gdp", round(gdp / 1e4, 4), "100m CNY", "yearbook", "ZJSY2003_T15-4")
    ci(
        code,
        name,
        2002,
        "registered_population_10k",
        pop,
        "10k persons",
        "yearbook",
        "ZJSY2003_T15-4",
    )
    ci(
        code,
        name,
        2002,
        "primary_va_100m_cny",
        round(p / 1e4, 4),
        "100m CNY",
        "yearbook",
        "ZJSY2003_T15-4",
    )
    ci(
        code,
        name,
        2002,
        "secondary_va_100m_cny",
        round(s / 1e4, 4),
        "100m CNY",
        "yearbook",
        "ZJSY2003_T15-4",
    )
    ci(
        code,
        name,
        2002,
        "industrial_va_100m_cny",
        round(ind / 1e4, 4),
        "100m CNY",
        "yearbook",
        "ZJSY2003_T15-4",
    )
    ci(
        code,
        name,
        2002,
        "tertiary_va_100m_cny",
        round(t / 1e4, 4),
        "100m CNY",
        "yearbook",
        "ZJSY2003_T15-4",
    )

# Ningbo yearbook 2009 table 3-1: GDP and sector VA 2000-2005 (2006 row partly cut off in the stored copy).
# 2002 omitted here to keep one value per (city, year, indicator): the 2002 row uses the contemporaneous
# provincial yearbook (ZJSY2003); NBSY2009 gives 1453.34 (census-revised) - documented in README.
for y, g, p, s, ind, t in [
    (2000, 1144.57, 94.24, 635.83, 578.30, 414.50),
    (2001, 1278.75, 98.53, 690.81, 624.92, 489.41),
    (2003, 1749.27, 109.77, 954.04, 847.79, 685.46),
    (2004, 2109.45, 120.54, 1167.44, 1027.26, 821.47),
    (2005, 2449.31, 132.26, 1341.46, 1188.55, 975.59),
]:
    vint = "census-revised" if y <= 2004 else "yearbook"
    ci("330200", "宁波市", y, "gdp", g, "100m CNY", vint, "NBSY2009_T3-1")
    ci("330200", "宁波市", y, "primary_va_100m_cny", p, "100m CNY", vint, "NBSY2009_T3-1")
    ci("330200", "宁波市", y, "secondary_va_100m_cny", s, "100m CNY", vint, "NBSY2009_T3-1")
    ci("330200", "宁波市", y, "industrial_va_100m_cny", ind, "100m CNY", vint, "NBSY2009_T3-1")
    ci("330200", "宁波市", y, "tertiary_va_100m_cny", t, "100m CNY", vint, "NBSY2009_T3-1")
ci("330200", "宁波市", 2006, "gdp", 2874.44, "100m CNY", "yearbook", "NBSY2009_T3-1")
ci("330200", "宁波市", 2006, "primary_va_100m_cny", 139.34, "100m CNY", "yearbook", "NBSY2009_T3-1")
ci(
    "330200",
    "宁波市",
    2006,
    "secondary_va_100m_cny",
    1583.56,
    "100m CNY",
    "yearbook",
    "NBSY2009_T3-1",
)

# Ningbo 2008 bulletin
ci("330200", "宁波市", 2008, "gdp", 3964.1, "100m CNY", "bulletin-preliminary", "NB_GB2008")
ci(
    "330200",
    "宁波市",
    2008,
    "real_gdp_growth_pct",
    10.1,
    "pct",
    "bulletin-preliminary",
    "NB_GB2008",
)
ci("330200", "宁波市", 2008, "primary_share_pct", 4.2, "pct", "bulletin-preliminary", "NB_GB2008")
ci(
    "330200",
    "宁波市",
    2008,
    "secondary_share_pct",
    55.4,
    "pct",
    "bulletin-preliminary",
    "NB_GB2008",
)
ci("330200", "宁波市", 2008, "tertiary_share_pct", 40.4, "pct", "bulletin-preliminary", "NB_GB2008")
ci(
    "330200",
    "宁波市",
    2008,
    "industrial_va_100m_cny",
    1990.5,
    "100m CNY",
    "bulletin-preliminary",
    "NB_GB2008",
)
ci("330200", "宁波市", 2007, "primary_share_pct", 4.4, "pct", "bulletin-preliminary", "NB_GB2008")
ci(
    "330200",
    "宁波市",
    2007,
    "secondary_share_pct",
    55.3,
    "pct",
    "bulletin-preliminary",
    "NB_GB2008",
)
ci("330200", "宁波市", 2007, "tertiary_share_pct", 40.3, "pct", "bulletin-preliminary", "NB_GB2008")

# Ningbo 2020 (Ningbo Daily)
ci("330200", "宁波市", 2020, "gdp", 12408.7, "100m CNY", "bulletin-preliminary", "NB_2020_cnnb")
ci(
    "330200",
    "宁波市",
    2020,
    "real_gdp_growth_pct",
    3.3,
    "pct",
    "bulletin-preliminary",
    "NB_2020_cnnb",
)
ci(
    "330200",
    "宁波市",
    2020,
    "primary_share_pct",
    2.7,
    "pct",
    "bulletin-preliminary",
    "NB_2020_cnnb",
)
ci(
    "330200",
    "宁波市",
    2020,
    "secondary_share_pct",
    45.9,
    "pct",
    "bulletin-preliminary",
    "NB_2020_cnnb",
)
ci(
    "330200",
    "宁波市",
    2020,
    "tertiary_share_pct",
    51.4,
    "pct",
    "bulletin-preliminary",
    "NB_2020_cnnb",
)
ci(
    "330200",
    "宁波市",
    2020,
    "exports_100m_cny",
    6407.0,
    "100m CNY",
    "bulletin-preliminary",
    "NB_2020_cnnb",
)

# Shaoxing bulletins
for y, src, g, gr, sh in [
    (2017, "SX_GB2017", 5108, 7.1, (4.0, 48.8, 47.2)),
    (2019, "SX_GB2019_sxedz", 5781, 7.2, (3.6, 47.9, 48.5)),
    (2021, "SX_GB2021", 6795, 8.7, (3.3, 47.5, 49.2)),
]:
    ci("330600", "绍兴市", y, "gdp", g, "100m CNY", "bulletin-preliminary", src)
    ci("330600", "绍兴市", y, "real_gdp_growth_pct", gr, "pct", "bulletin-preliminary", src)
    ci("330600", "绍兴市", y, "primary_share_pct", sh[0], "pct", "bulletin-preliminary", src)
    ci("330600", "绍兴市", y, "secondary_share_pct", sh[1], "pct", "bulletin-preliminary", src)
    ci("330600", "绍兴市", y, "tertiary_share_pct", sh[2], "pct", "bulletin-preliminary", src)
# 2021 bulletin also states the previous year's structure
ci("330600", "绍兴市", 2020, "primary_share_pct", 3.7, "pct", "bulletin-preliminary", "SX_GB2021")
ci(
    "330600",
    "绍兴市",
    2020,
    "secondary_share_pct",
    45.4,
    "pct",
    "bulletin-preliminary",
    "SX_GB2021",
)
ci("330600", "绍兴市", 2020, "tertiary_share_pct", 50.9, "pct", "bulletin-preliminary", "SX_GB2021")
ci("310000", "上海市", 2021, "gdp", 43214.85, "100m CNY", "bulletin-preliminary", "CNS_2022-01-26")
ci(
    "310000",
    "上海市",
    2021,
    "real_gdp_growth_pct",
    8.1,
    "pct",
    "bulletin-preliminary",
    "CNS_2022-01-26",
)


# ======================================================================================
# Additional sources (secondary pages reproducing official figures are labelled as such)
# ======================================================================================
SOURCES.update(
    {
        "ZJ2013_zhshhuida": "Table '2013年浙江省各市GDP' (GDP 亿元, real growth) reproduced on https://zhshhuida.com/tips/285297.html "
        "(secondary web page reproducing the official 2013 city figures; the page does not state the vintage)",
        "ZJ_county2010_wiki": "Chinese Wikipedia article 浙江各县市地区生产总值列表, '2010年浙江省各县(市)GDP与人均GDP列表' (GDP in million CNY), mirror "
        "https://artikel.siakadpt.com/zh/%E6%B5%99%E6%B1%9F%E5%90%84%E5%8E%BF%E5%B8%82%E5%9C%B0%E5%8C%BA%E7%94%9F%E4%BA%A7%E6%80%BB%E5%80%BC%E5%88%97%E8%A1%A8",
        "SZ_GB2018": "2018年嵊州市国民经济和社会发展统计公报 (嵊州市统计局, 国家统计局嵊州调查队), https://www.szzj.gov.cn/art/2019/5/30/art_1229351817_3617595.html",
        "SY_GB2013": "2013年上虞区国民经济和社会发展统计公报 (绍兴市上虞区统计局), https://www.shangyu.gov.cn/art/2022/8/17/art_1229069022_59055663.html",
        "SY_2008_diming": "Place-name page for 上虞市 on http://diming5.com/place/8653.html (secondary; states 2008 GDP, 2008 registered population and total area)",
        "XC_2020_zujuan": "Exam-material page quoting '[新昌数据]2020年,新昌全县生产总值实现461.46亿元' https://mtiku.zujuan.com/map/question-51421764.shtml (secondary)",
        "XC_2023_baiwen": "Encyclopedia-style page on 新昌县 quoting the 2023 bulletin figures, https://baiwen19.com/life/160931.html (secondary)",
        "WIKI_yuecheng": "English Wikipedia 'Yuecheng, Shaoxing' (infobox: coordinates 29.9918N 120.559E; area 493.25 km2; population 2020 census 1,020,037), "
        "copy https://wikiwand.com/en/articles/Yuecheng_District",
        "WIKI_keqiao": "English Wikipedia 'Keqiao District' (coordinates 30.08194N 120.49472E), stored copy https://en.wikipedia.org/wiki/Keqiao_District",
        "KQ_gov_area": "Keqiao District government English profile, http://www.kq.gov.cn/art/2024/5/10/art_1529801_59211917.html ('The whole district of Keqiao is around 1040 square kilometers')",
        "WIKI_shangyu": "English Wikipedia 'Shangyu, Shaoxing' (coordinates 30°01'N 120°52'E), kiwix copy https://kiwix.lema.org/wikipedia_en_all_mini_2024-02/A/Shangyu",
        "WIKI_zhuji": "English Wikipedia 'Zhuji' (coordinates 29.717N 120.233E; area 2,311.41 km2; population 2020 census 1,218,072; 2010 census 1,157,938), "
        "copies https://en.m.wiki.x.io/wiki/Zhuji and https://en.wikipedia.org/wiki/Zhuji?oldid=690863058",
        "WIKI_shengzhou": "English Wikipedia 'Shengzhou' (coordinates 29.600N 120.817E; area 1,789.07 km2; population 2020 census 675,226; 2010 census 679,762), "
        "copies http://70.231.62.181/index.php/Sheng_County and https://en.wikipedia-on-ipfs.org/wiki/Shengzhou",
        "WIKI_xinchang": "English Wikipedia 'Xinchang County' (seat coordinates 29°29'59\"N 120°54'14\"E), copy https://a.osmarks.net/content/wikipedia_en_all_maxi_2020-08/A/Xinchang",
        "RUWIKI_xinchang": "Russian Wikipedia 'Синьчан' infobox via mirror https://perceptiofi.com/%D0%A1%D0%B8%D0%BD%D1%8C%D1%87%D0%B0%D0%BD (area 1213.55 km2; population 2020 census 419,036)",
        "WIKI_hangzhou": "English Wikipedia 'Hangzhou' (coordinates of the Zhejiang/municipal government 30.267N 120.153E; area 16,821.1 km2; 2020 census 11,936,010), "
        "copy https://wiki.av1.space/content/wikipedia_en_all_mini_2025-06/Hangzhou",
        "WIKI_ningbo": "Scots Wikipedia 'Ningbo' (coordinates 29.867N 121.550E), https://sco.m.wikipedia.org/wiki/Ningbo",
        "WIKI_shanghai": "English Wikipedia 'Shanghai' (coordinates People's Square 31.22861N 121.47472E; area 6,341 km2), kiwix copy https://kiwix.lema.org/wikipedia_en_all_mini_2024-02/A/Shanghai",
        "SX_area_okchina": "City profile https://okchina.net/china-city-detail-page/besides-shaoxing-rice-wine-and-lu-xuns-former-residence-what-other-must-visit-attractions-are-there-in-shaoxing-sv "
        "('The total area of the city is 8,274.79 square kilometers', translated from the Chinese encyclopedia entry)",
        "ZJZJ_hangshao_rail": "Zhejiang Online (浙江在线) 2021-04-26 '杭绍城际铁路计划6月底运营' (from 杭州网): 绍兴地铁1号线柯桥段(杭绍城际铁路) 20.3 km, 10 stations, "
        "姑娘桥(杭州萧山)–笛扬路(柯桥); 'from Hangzhou to Shaoxing about 25 minutes' https://zjnews.zjol.com.cn/zjnews/zjxw/202104/t20210426_22445159.shtml",
        "NE163_intercity": "NetEase news article on the 绍兴风情旅游新干线 intercity service: '从绍兴站(火车站)至杭州南站 运行时间仅需约半小时' https://m.163.com/dy/article/GOCJ20RT0525IGRV.html",
        "BINHAI_plan": "绍兴市人民政府 绍政发〔2020〕17号 《绍兴滨海新区发展规划》 (2020-11-17), reproduced at http://www.bridata.com/policy/detail?id=8944: "
        "provincial approval 2019-11-25 (浙政函〔2019〕135号), planned control area 430 km2, comprising 绍兴滨海新城江滨区, 袍江经济技术开发区, "
        "绍兴高新技术产业开发区, 镜湖片区, entrusted streets of 越城区 and 上虞区沥海街道",
        "BINHAI_approval": "浙江省人民政府 approval of 绍兴滨海新区 (浙政函〔2019〕135号), reproduced at https://xdf500.com/pdetail/id=5427.html",
        "SEED": "source policy document (seed): 《更高水平打造全省高质量发展重要增长极》 (circa 2020), /work/shared/seed/000_08bc1ee0b7c33ec7.txt",
    }
)

# 2013 Zhejiang city table (secondary page)
for code, name, v in [
    ("330100", "杭州市", 8343.52),
    ("330200", "宁波市", 7128.87),
    ("330300", "温州市", 4003.86),
    ("330600", "绍兴市", 3967.29),
    ("331000", "台州市", 3153.34),
    ("330400", "嘉兴市", 3147.6),
    ("330700", "金华市", 2958.78),
    ("330500", "湖州市", 1803.35),
    ("330800", "衢州市", 1056.57),
    ("331100", "丽水市", 983.08),
    ("330900", "舟山市", 930.85),
]:
    add(
        code,
        name,
        2013,
        v,
        "yearbook",
        "ZJ2013_zhshhuida",
        "secondary page; vintage not stated on the page",
    )
# growth rates:
ci("330100", "杭州市", 2013, "real_gdp_growth_pct", 8.0, "pct", "yearbook", "ZJ2013_zhshhuida")
ci("330200", "宁波市", 2013, "real_gdp_growth_pct", 8.1, "pct", "yearbook", "ZJ2013_zhshhuida")
ci("330600", "绍兴市", 2013, "real_gdp_growth_pct", 8.5, "pct", "yearbook", "ZJ2013_zhshhuida")
for code, name, v in [
    ("330100", "杭州市", 8343.52),
    ("330200", "宁波市", 7128.87),
    ("330600", "绍兴市", 3967.29),
]:
    ci(code, name, 2013, "gdp", v, "100m CNY", "yearbook", "ZJ2013_zhshhuida")
# 2020 census population (resident) for Hangzhou from the Wikipedia infobox
ci(
    "330100",
    "杭州市",
    2020,
    "resident_population_10k",
    1193.6010,
    "10k persons",
    "census",
    "WIKI_hangzhou",
)

# --------------------------------------------------------------------------------------
# County-level (Shaoxing's six units)
# (region_code, region, year, indicator, value, unit, vintage, source_id)
# --------------------------------------------------------------------------------------
COUNTY = []


def cty(code, name, year, ind, val, unit, vintage, src):
    COUNTY.append((code, name, year, ind, val, unit, vintage, src))


# 2010 county list (Wikipedia; GDP in million CNY -> 100m CNY /100)
cty("330621", "绍兴县", 2010, "gdp", 776.11, "100m CNY", "yearbook", "ZJ_county2010_wiki")
cty("330681", "诸暨市", 2010, "gdp", 621.54, "100m CNY", "yearbook", "ZJ_county2010_wiki")
cty("330682", "上虞市", 2010, "gdp", 436.26, "100m CNY", "yearbook", "ZJ_county2010_wiki")
cty(
    "330621",
    "绍兴县",
    2010,
    "gdp_per_capita_registered_cny",
    107808,
    "CNY",
    "yearbook",
    "ZJ_county2010_wiki",
)
cty(
    "330681",
    "诸暨市",
    2010,
    "gdp_per_capita_registered_cny",
    58188,
    "CNY",
    "yearbook",
    "ZJ_county2010_wiki",
)
cty(
    "330682",
    "上虞市",
    2010,
    "gdp_per_capita_registered_cny",
    56272,
    "CNY",
    "yearbook",
    "ZJ_county2010_wiki",
)
# bulletins
cty("330683", "嵊州市", 2018, "gdp", 560.65, "100m CNY", "bulletin-preliminary", "SZ_GB2018")
cty(
    "330683", "嵊州市", 2018, "real_gdp_growth_pct", 8.0, "pct", "bulletin-preliminary", "SZ_GB2018"
)
cty(
    "330683",
    "嵊州市",
    2018,
    "primary_va_100m_cny",
    36.62,
    "100m CNY",
    "bulletin-preliminary",
    "SZ_GB2018",
)
cty(
    "330683",
    "嵊州市",
    2018,
    "secondary_va_100m_cny",
    272.16,
    "100m CNY",
    "bulletin-preliminary",
    "SZ_GB2018",
)
cty(
    "330683",
    "嵊州市",
    2018,
    "tertiary_va_100m_cny",
    251.87,
    "100m CNY",
    "bulletin-preliminary",
    "SZ_GB2018",
)
cty("330604", "上虞区", 2013, "gdp", 624.98, "100m CNY", "bulletin-preliminary", "SY_GB2013")
cty(
    "330604", "上虞区", 2013, "real_gdp_growth_pct", 9.0, "pct", "bulletin-preliminary", "SY_GB2013"
)
cty(
    "330604",
    "上虞区",
    2013,
    "primary_va_100m_cny",
    41.71,
    "100m CNY",
    "bulletin-preliminary",
    "SY_GB2013",
)
cty(
    "330604",
    "上虞区",
    2013,
    "secondary_va_100m_cny",
    344.22,
    "100m CNY",
    "bulletin-preliminary",
    "SY_GB2013",
)
cty(
    "330604",
    "上虞区",
    2013,
    "tertiary_va_100m_cny",
    239.05,
    "100m CNY",
    "bulletin-preliminary",
    "SY_GB2013",
)
cty("330682", "上虞市", 2008, "gdp", 348.34, "100m CNY", "bulletin-preliminary", "SY_2008_diming")
cty(
    "330682",
    "上虞市",
    2008,
    "registered_population_10k",
    77.31,
    "10k persons",
    "yearbook",
    "SY_2008_diming",
)
cty("330624", "新昌县", 2020, "gdp", 461.46, "100m CNY", "bulletin-preliminary", "XC_2020_zujuan")
cty(
    "330624",
    "新昌县",
    2020,
    "real_gdp_growth_pct",
    2.7,
    "pct",
    "bulletin-preliminary",
    "XC_2020_zujuan",
)
cty("330624", "新昌县", 2023, "gdp", 606.67, "100m CNY", "bulletin-preliminary", "XC_2023_baiwen")
cty(
    "330624",
    "新昌县",
    2023,
    "real_gdp_growth_pct",
    8.0,
    "pct",
    "bulletin-preliminary",
    "XC_2023_baiwen",
)
# population censuses (resident population, 10k persons)
cty(
    "330602",
    "越城区",
    2020,
    "resident_population_10k",
    102.0037,
    "10k persons",
    "census",
    "WIKI_yuecheng",
)
cty(
    "330681",
    "诸暨市",
    2020,
    "resident_population_10k",
    121.8072,
    "10k persons",
    "census",
    "WIKI_zhuji",
)
cty(
    "330681",
    "诸暨市",
    2010,
    "resident_population_10k",
    115.7938,
    "10k persons",
    "census",
    "WIKI_zhuji",
)
cty(
    "330683",
    "嵊州市",
    2020,
    "resident_population_10k",
    67.5226,
    "10k persons",
    "census",
    "WIKI_shengzhou",
)
cty(
    "330683",
    "嵊州市",
    2010,
    "resident_population_10k",
    67.9762,
    "10k persons",
    "census",
    "WIKI_shengzhou",
)
cty(
    "330624",
    "新昌县",
    2020,
    "resident_population_10k",
    41.9036,
    "10k persons",
    "census",
    "RUWIKI_xinchang",
)
# land areas (km2)
cty("330602", "越城区", 2020, "land_area_km2", 493.25, "km2", "yearbook", "WIKI_yuecheng")
cty("330603", "柯桥区", 2024, "land_area_km2", 1040, "km2", "yearbook", "KQ_gov_area")
cty("330682", "上虞市", 2008, "land_area_km2", 1403, "km2", "yearbook", "SY_2008_diming")
cty("330681", "诸暨市", 2020, "land_area_km2", 2311.41, "km2", "yearbook", "WIKI_zhuji")
cty("330683", "嵊州市", 2020, "land_area_km2", 1789.07, "km2", "yearbook", "WIKI_shengzhou")
cty("330624", "新昌县", 2020, "land_area_km2", 1213.55, "km2", "yearbook", "RUWIKI_xinchang")

# --------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------
REGIONS = [
    # region_id, name_zh, name_en, admin_code, parent_city_code, lat, lon, area, [source ids]
    (
        "yuecheng",
        "越城区",
        "Yuecheng District",
        "330602",
        "330600",
        29.9918,
        120.559,
        493.25,
        ["WIKI_yuecheng"],
    ),
    (
        "keqiao",
        "柯桥区",
        "Keqiao District",
        "330603",
        "330600",
        30.08194,
        120.49472,
        1040,
        ["WIKI_keqiao", "KQ_gov_area"],
    ),
    (
        "shangyu",
        "上虞区",
        "Shangyu District",
        "330604",
        "330600",
        30.017,
        120.867,
        1403,
        ["WIKI_shangyu", "SY_2008_diming"],
    ),
    (
        "zhuji",
        "诸暨市",
        "Zhuji",
        "330681",
        "330600",
        29.712125,
        120.2370556,
        2311.41,
        ["ZHWIKI_zhuji", "WIKI_zhuji"],
    ),
    (
        "shengzhou",
        "嵊州市",
        "Shengzhou",
        "330683",
        "330600",
        29.600,
        120.817,
        1789.07,
        ["WIKI_shengzhou"],
    ),
    (
        "xinchang",
        "新昌县",
        "Xinchang County",
        "330624",
        "330600",
        29.4997,
        120.9039,
        1213.55,
        ["WIKI_xinchang", "RUWIKI_xinchang"],
    ),
    (
        "hangzhou",
        "杭州市",
        "Hangzhou",
        "330100",
        "330100",
        30.267,
        120.153,
        16821.1,
        ["WIKI_hangzhou"],
    ),
    (
        "ningbo",
        "宁波市",
        "Ningbo",
        "330200",
        "330200",
        29.867,
        121.550,
        9816,
        ["WIKI_ningbo", "CD_NB2020"],
    ),
    (
        "shanghai",
        "上海市",
        "Shanghai",
        "310000",
        "310000",
        31.22861,
        121.47472,
        6341,
        ["WIKI_shanghai"],
    ),
]

# --------------------------------------------------------------------------------------
# Travel times (only where a page states a time)
# --------------------------------------------------------------------------------------
TRAVEL = [
    # origin, destination, mode, minutes, year, source id, note
    (
        "hangzhou",
        "keqiao",
        "rail",
        25,
        2021,
        "ZJZJ_hangshao_rail",
        "Hangzhou-Shaoxing intercity railway (Shaoxing Metro Line 1 Keqiao section) 姑娘桥-笛扬路, 'about 25 minutes', planned opening June 2021",
    ),
    (
        "yuecheng",
        "hangzhou",
        "rail",
        30,
        2021,
        "NE163_intercity",
        "绍兴站 to 杭州南站 by the 绍兴风情旅游新干线 intercity service, 'about half an hour'",
    ),
]

# --------------------------------------------------------------------------------------
# Platforms
# --------------------------------------------------------------------------------------
PLATFORMS = [
    # platform_id, name_zh, name_en, region_id, area_km2, opening_year, sector_focus, kind, [source ids], note
    (
        "binhai_new_area",
        "绍兴滨海新区",
        "Shaoxing Binhai New Area",
        "yuecheng",
        430,
        2019,
        "electronics_ic;biomedicine",
        "provincial new area (大湾区新区)",
        ["BINHAI_approval", "BINHAI_plan", "SEED"],
        "approved 2019-11-25; 430 km2 planned control area (47 km2 start area per the seed text); spans 越城区 streets plus 上虞区沥海街道; "
        "sector focus from the seed text's projects (长电科技, 豪威科技 = IC) and the IC/biomedicine 万亩千亿 platforms",
    ),
    (
        "binhai_start_area",
        "滨海新区启动区",
        "Binhai New Area start area",
        "yuecheng",
        47,
        None,
        "",
        "start area of a new area",
        ["SEED"],
        "47 km2 start area named in the seed text",
    ),
    (
        "ic_platform",
        "集成电路万亩千亿新产业平台",
        "Integrated-circuit '10,000 mu, 100 bn' platform",
        "",
        None,
        None,
        "electronics_ic",
        "provincial 万亩千亿 new-industry platform",
        ["SEED"],
        "",
    ),
    (
        "biomed_platform",
        "高端生物医药万亩千亿新产业平台",
        "High-end biomedicine '10,000 mu, 100 bn' platform",
        "",
        None,
        None,
        "biomedicine",
        "provincial 万亩千亿 new-industry platform",
        ["SEED"],
        "",
    ),
    (
        "binhai_sci_city",
        "滨海科技城",
        "Binhai Science City",
        "",
        None,
        None,
        "",
        "sci-tech city (科创大走廊)",
        ["SEED"],
        "",
    ),
    (
        "jinghu_sci_city",
        "镜湖科技城",
        "Jinghu Science City",
        "",
        None,
        None,
        "",
        "sci-tech city (科创大走廊)",
        ["SEED"],
        "",
    ),
    (
        "keqiao_hangzhou_zone",
        "柯桥融杭同城先行区",
        "Keqiao pilot zone for same-city integration with Hangzhou",
        "keqiao",
        None,
        None,
        "",
        "open-cooperation platform",
        ["SEED"],
        "",
    ),
    (
        "zhuji_hangzhou_belt",
        "诸暨与杭同城发展带",
        "Zhuji-Hangzhou same-city development belt",
        "zhuji",
        None,
        None,
        "",
        "open-cooperation platform",
        ["SEED"],
        "",
    ),
    (
        "shengxin_corridor",
        "嵊新义甬舟开放协作通道",
        "Shengzhou-Xinchang-Yiwu-Ningbo-Zhoushan open-cooperation corridor",
        "",
        None,
        None,
        "",
        "open-cooperation corridor",
        ["SEED"],
        "covers shengzhou and xinchang",
    ),
    (
        "airport_zone_ext",
        "杭州临空经济示范区绍兴拓展区",
        "Shaoxing extension of the Hangzhou airport-economy demonstration zone",
        "",
        None,
        None,
        "",
        "open-cooperation platform (planned in the text)",
        ["SEED"],
        "",
    ),
    (
        "cbec_zone",
        "中国(绍兴)跨境电子商务综合试验区",
        "Shaoxing cross-border e-commerce comprehensive pilot zone",
        "",
        None,
        None,
        "services;digital_economy",
        "national pilot zone",
        ["SEED"],
        "the text asks to 'build it at high quality' (already approved when written); approval year not sourced",
    ),
    (
        "bonded_zone",
        "绍兴综合保税区",
        "Shaoxing comprehensive bonded zone",
        "",
        None,
        None,
        "",
        "national bonded zone (sought in the text)",
        ["SEED"],
        "the text asks to 'strive for approval'; approval not sourced",
    ),
    (
        "market_procurement",
        "市场采购贸易方式试点",
        "Market-procurement trade pilot",
        "",
        None,
        None,
        "services",
        "trade pilot (sought in the text)",
        ["SEED"],
        "",
    ),
    (
        "ftz_linkage",
        "自贸试验区联动创新区",
        "FTZ linkage innovation zone",
        "",
        None,
        None,
        "",
        "planned (筹建) in the text",
        ["SEED"],
        "",
    ),
    (
        "char_towns_2",
        "2.0版特色小镇(时尚纺织、旅游休闲、历史经典)",
        "Characteristic towns 2.0 (fashion textiles, tourism, classic industries)",
        "",
        None,
        None,
        "textiles_dyeing;services",
        "characteristic towns",
        ["SEED"],
        "",
    ),
    (
        "micro_parks",
        "省级小微企业园(百园万企)",
        "Provincial micro-enterprise parks ('100 parks, 10,000 firms')",
        "",
        None,
        None,
        "",
        "micro-enterprise parks",
        ["SEED"],
        "count not stated in the text",
    ),
    (
        "lanting_resort",
        "兰亭文化旅游度假区",
        "Lanting culture-tourism resort",
        "",
        None,
        None,
        "services",
        "tourism resort",
        ["SEED"],
        "",
    ),
    (
        "jianhu_resort",
        "鉴湖旅游度假区",
        "Jianhu tourism resort",
        "",
        None,
        None,
        "services",
        "tourism resort (national-level status sought)",
        ["SEED"],
        "",
    ),
    (
        "caoe_resort",
        "曹娥江旅游度假区",
        "Cao'e River tourism resort",
        "",
        None,
        None,
        "services",
        "tourism resort (national-level status sought)",
        ["SEED"],
        "",
    ),
    (
        "paojiang_etdz",
        "绍兴袍江经济技术开发区",
        "Shaoxing Paojiang Economic and Technological Development Zone",
        "yuecheng",
        None,
        None,
        "",
        "national development zone (part of Binhai New Area)",
        ["BINHAI_approval", "WIKI_yuecheng"],
        "located in Yuecheng per Wikipedia",
    ),
    (
        "shaoxing_hitech_zone",
        "绍兴高新技术产业开发区",
        "Shaoxing National Hi-tech Industrial Development Zone",
        "",
        None,
        None,
        "",
        "national development zone (part of Binhai New Area)",
        ["BINHAI_approval"],
        "",
    ),
]


# ======================================================================================
# Batch 3 (HKTDC / China Daily / local news reproducing official releases)
# ======================================================================================
SOURCES.update(
    {
        "HKTDC_SX2010": "HKTDC 'Shaoxing (Zhejiang) City Information', Major Economic Indicators (2010), source stated: Shaoxing Economic and Social "
        "Development Report 2010 (statistical bulletin), http://china-trade-research.hktdc.com/business-news/article/Fast-Facts/"
        "Shaoxing-Zhejiang-City-Information/ff/en/1/1X000000/1X07410X.htm",
        "HKTDC_SH2016": "HKTDC 'Shanghai: Market Profile', Major Economic Indicators 2016 (sources stated: Shanghai Statistical Yearbook 2017, Shanghai "
        "Statistical Bureau, China Customs), http://china-trade-research.hktdc.com/business-news/article/Facts-and-Figures/"
        "Shanghai-Market-Profile/ff/en/1/1X000000/1X06BVOR.htm",
        "CK_SH2006": "China Knowledge 'Province Introduction of China: Shanghai' (2009-04-01) on Alibaba news, quoting 2006 official figures, "
        "http://news.alibaba.com/article/detail/business-in-china/100086401-1-province-introduction-china:-shanghai.html (secondary)",
        "ECC_HZ2006": "eChinaCities 'Hangzhou Business Guide - Economic Overview', Vital Statistics (2006), https://www.echinacities.com/news/Hangzhou-Business-Guide-Economic-Overview (secondary)",
        "FDI_HZ2015": "Hangzhou introduction on china-chicago.fdi.gov.cn (MOFCOM investment promotion site) quoting 2015 official figures, "
        "http://china-chicago.fdi.gov.cn/CorpSvc/Temp/T3/Product.aspx?idInfo=10000135&idCorp=1800000628",
        "RSA_HZ2021": "RSA 'Hangzhou and Economic Trends' quoting Hangzhou's reported 2021 GDP, https://www.rsa-tax.com/single-post/hangzhou-and-economic-trends (secondary)",
        "CD_NB2019": "China Daily (chinadaily.com.cn, 2020-04-09) 'Ningbo, a historical and cultural city', citing the communique of the Ningbo Bureau of "
        "Statistics released 16 March 2020, http://subsites.chinadaily.com.cn/ezhejiang/2020-04/09/c_472982.htm",
        "CD_NB2020": "China Daily (2021-03-17) Ningbo profile, citing preliminary 2020 statistics of the Ningbo Bureau of Statistics, "
        "https://ningbo.chinadaily.com.cn/2021-03/17/c_544057.htm",
        "E0575_2024": "绍兴E网 (e0575.cn) news citing 统计部门: Shaoxing 2024 GDP and district/county GDP, https://m.e0575.cn/index.php?a=read&tid=11806739",
        "SXYB2011_SZ": "2011年绍兴年鉴 (Shaoxing Yearbook 2011), 区县市 > 嵊州市 【概况】, Shaoxing municipal government site "
        "https://www.sx.gov.cn/art/2012/1/4/art_1462202_16993130.html",
        "ZHWIKI_zhuji": "Chinese Wikipedia 诸暨市 infobox (government-seat coordinates 29.7121250N 120.2370556E; GDP 2015 ¥1026.61亿), via proxy "
        "http://79.170.44.78/hostdoctordemo.co.uk/downloads/vpn/index.php?q=aHR0cHM6Ly96aC53aWtpcGVkaWEub3JnL3dpa2kvJUU4JUFCJUI4JUU2JTlBJUE4",
        "HENDELI_zhuji": "City-information page for 诸暨市 https://www.hendeli.cn/country/countryInformation.php?countryID=1346 (secondary; 2024 GDP 1861.08亿, real growth 5.9%; 2024 registered population 106.85万)",
        "BAIKE_xinchang": "Baidu Baike entry 新昌县 (Bing cache) quoting the 2023 bulletin: GDP 606.67亿, VA 25.01/301.30/280.36亿, growth 8.0%; resident pop end-2023 41.17万, "
        "https://cc.bingj.com/cache.aspx?q=%E6%96%B0%E6%98%8C%E7%89%A9%E6%A5%AD%E7%AE%A1%E7%90%86%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8&d=4745281933763274&mkt=zh-HK&setlang=zh-HK&w=xXQnRwJ8rTFt59aUDDkApdoo8ZjbwXxA (secondary)",
        "TFT_SY2018": "tftnews page on 上虞区 quoting 2018 GDP 916.52亿 (+7.4%), https://m.tftnews.com/news773341 (secondary)",
        "IICHATC_zhuji2005": "Place-name page for 诸暨市 https://iichatc.com/dm_3615/list_2.html quoting '2005年,全市实现生产总值324.66亿元,同比增长14.6%' (secondary)",
        "TWWIKI_sx": "Traditional-Chinese encyclopedia mirror of the 绍兴 entry: '截至2020年,紹興市常住人口為5270977人' (7th census), https://twwiki.net/wiki/v33n3ex2g89wg2q.html (secondary)",
        "SXHK_2016": "香港绍兴同乡会 site http://www.shaoxing.hk/commitee.html: '2016年全市實現生產總值4710億元…戶籍人口443.1萬' (secondary, preliminary figure)",
    }
)
# HKTDC Shaoxing 2010 (bulletin)
add("330600", "绍兴市", 2010, 2782.7, "bulletin-preliminary", "HKTDC_SX2010", "RMB 278.27 bn")
ci("330600", "绍兴市", 2010, "gdp", 2782.7, "100m CNY", "bulletin-preliminary", "HKTDC_SX2010")
ci(
    "330600",
    "绍兴市",
    2010,
    "real_gdp_growth_pct",
    11.0,
    "pct",
    "bulletin-preliminary",
    "HKTDC_SX2010",
)
ci(
    "330600",
    "绍兴市",
    2010,
    "primary_share_pct",
    5.3,
    "pct",
    "bulletin-preliminary",
    "HKTDC_SX2010",
)
ci(
    "330600",
    "绍兴市",
    2010,
    "secondary_share_pct",
    56.9,
    "pct",
    "bulletin-preliminary",
    "HKTDC_SX2010",
)
ci(
    "330600",
    "绍兴市",
    2010,
    "tertiary_share_pct",
    37.8,
    "pct",
    "bulletin-preliminary",
    "HKTDC_SX2010",
)
ci(
    "330600",
    "绍兴市",
    2010,
    "fixed_asset_investment_100m_cny",
    1253.6,
    "100m CNY",
    "bulletin-preliminary",
    "HKTDC_SX2010",
)
ci(
    "330600",
    "绍兴市",
    2010,
    "exports_100m_usd",
    210.9,
    "100m USD",
    "bulletin-preliminary",
    "HKTDC_SX2010",
)
ci(
    "330600",
    "绍兴市",
    2010,
    "gdp_per_capita_cny",
    63486,
    "CNY",
    "bulletin-preliminary",
    "HKTDC_SX2010",
)
# Shaoxing 2016 (secondary), 2020 census pop
add(
    "330600",
    "绍兴市",
    2016,
    4710,
    "bulletin-preliminary",
    "SXHK_2016",
    "secondary page; preliminary",
)
ci("330600", "绍兴市", 2016, "gdp", 4710, "100m CNY", "bulletin-preliminary", "SXHK_2016")
ci(
    "330600",
    "绍兴市",
    2016,
    "registered_population_10k",
    443.1,
    "10k persons",
    "bulletin-preliminary",
    "SXHK_2016",
)
ci(
    "330600",
    "绍兴市",
    2020,
    "resident_population_10k",
    527.0977,
    "10k persons",
    "census",
    "TWWIKI_sx",
)
# Shaoxing 2024 (local news citing the statistics bureau)
add("330600", "绍兴市", 2024, 8368.6, "bulletin-preliminary", "E0575_2024")
ci("330600", "绍兴市", 2024, "gdp", 8368.6, "100m CNY", "bulletin-preliminary", "E0575_2024")
# Shanghai
add(
    "310000",
    "上海市",
    2016,
    28179,
    "yearbook",
    "HKTDC_SH2016",
    "RMB 2,817.9 bn per Shanghai Statistical Yearbook 2017",
)
ci("310000", "上海市", 2016, "gdp", 28179, "100m CNY", "yearbook", "HKTDC_SH2016")
ci("310000", "上海市", 2016, "real_gdp_growth_pct", 6.9, "pct", "yearbook", "HKTDC_SH2016")
ci("310000", "上海市", 2016, "primary_va_100m_cny", 109, "100m CNY", "yearbook", "HKTDC_SH2016")
ci("310000", "上海市", 2016, "secondary_va_100m_cny", 8406, "100m CNY", "yearbook", "HKTDC_SH2016")
ci("310000", "上海市", 2016, "tertiary_va_100m_cny", 19663, "100m CNY", "yearbook", "HKTDC_SH2016")
ci("310000", "上海市", 2016, "industrial_va_100m_cny", 7145, "100m CNY", "yearbook", "HKTDC_SH2016")
ci(
    "310000",
    "上海市",
    2016,
    "fixed_asset_investment_100m_cny",
    6756,
    "100m CNY",
    "yearbook",
    "HKTDC_SH2016",
)
ci("310000", "上海市", 2016, "exports_100m_usd", 1835, "100m USD", "yearbook", "HKTDC_SH2016")
ci(
    "310000",
    "上海市",
    2016,
    "resident_population_10k",
    2420,
    "10k persons",
    "yearbook",
    "HKTDC_SH2016",
)
add(
    "310000",
    "上海市",
    2006,
    10297,
    "bulletin-preliminary",
    "CK_SH2006",
    "RMB 1,029.7 bn; secondary page",
)
ci("310000", "上海市", 2006, "gdp", 10297, "100m CNY", "bulletin-preliminary", "CK_SH2006")
ci(
    "310000",
    "上海市",
    2006,
    "real_gdp_growth_pct",
    12.0,
    "pct",
    "bulletin-preliminary",
    "CK_SH2006",
)
ci("310000", "上海市", 2006, "tertiary_share_pct", 50.6, "pct", "bulletin-preliminary", "CK_SH2006")
ci(
    "310000",
    "上海市",
    2006,
    "fixed_asset_investment_100m_cny",
    3925,
    "100m CNY",
    "bulletin-preliminary",
    "CK_SH2006",
)
# Hangzhou
add(
    "330100",
    "杭州市",
    2006,
    3441,
    "bulletin-preliminary",
    "ECC_HZ2006",
    "RMB 344.1 bn; secondary page",
)
ci("330100", "杭州市", 2006, "gdp", 3441, "100m CNY", "bulletin-preliminary", "ECC_HZ2006")
ci(
    "330100",
    "杭州市",
    2006,
    "real_gdp_growth_pct",
    14.3,
    "pct",
    "bulletin-preliminary",
    "ECC_HZ2006",
)
ci(
    "330100",
    "杭州市",
    2015,
    "real_gdp_growth_pct",
    10.2,
    "pct",
    "bulletin-preliminary",
    "FDI_HZ2015",
)
add(
    "330100",
    "杭州市",
    2021,
    18109,
    "bulletin-preliminary",
    "RSA_HZ2021",
    "RMB 1.8109 trillion; secondary page",
)
ci("330100", "杭州市", 2021, "gdp", 18109, "100m CNY", "bulletin-preliminary", "RSA_HZ2021")
ci(
    "330100",
    "杭州市",
    2021,
    "real_gdp_growth_pct",
    8.5,
    "pct",
    "bulletin-preliminary",
    "RSA_HZ2021",
)
# Ningbo
add("330200", "宁波市", 2019, 11985, "bulletin-preliminary", "CD_NB2019", "RMB 1.1985 trillion")
ci("330200", "宁波市", 2019, "gdp", 11985, "100m CNY", "bulletin-preliminary", "CD_NB2019")
ci("330200", "宁波市", 2019, "real_gdp_growth_pct", 6.8, "pct", "bulletin-preliminary", "CD_NB2019")
ci(
    "330200",
    "宁波市",
    2019,
    "primary_va_100m_cny",
    322,
    "100m CNY",
    "bulletin-preliminary",
    "CD_NB2019",
)
ci(
    "330200",
    "宁波市",
    2019,
    "secondary_va_100m_cny",
    5783,
    "100m CNY",
    "bulletin-preliminary",
    "CD_NB2019",
)
ci(
    "330200",
    "宁波市",
    2019,
    "tertiary_va_100m_cny",
    5880,
    "100m CNY",
    "bulletin-preliminary",
    "CD_NB2019",
)
ci(
    "330200",
    "宁波市",
    2019,
    "resident_population_10k",
    854.2,
    "10k persons",
    "bulletin-preliminary",
    "CD_NB2019",
)
ci(
    "330200",
    "宁波市",
    2020,
    "primary_va_100m_cny",
    338.4,
    "100m CNY",
    "bulletin-preliminary",
    "CD_NB2020",
)
ci(
    "330200",
    "宁波市",
    2020,
    "secondary_va_100m_cny",
    5693.9,
    "100m CNY",
    "bulletin-preliminary",
    "CD_NB2020",
)
ci(
    "330200",
    "宁波市",
    2020,
    "tertiary_va_100m_cny",
    6376.4,
    "100m CNY",
    "bulletin-preliminary",
    "CD_NB2020",
)

# County additions
cty("330683", "嵊州市", 2010, "gdp", 273.27, "100m CNY", "yearbook", "SXYB2011_SZ")
cty("330683", "嵊州市", 2010, "real_gdp_growth_pct", 12.8, "pct", "yearbook", "SXYB2011_SZ")
cty(
    "330683",
    "嵊州市",
    2010,
    "registered_population_10k",
    73.43,
    "10k persons",
    "yearbook",
    "SXYB2011_SZ",
)
cty("330683", "嵊州市", 2010, "land_area_km2", 1784, "km2", "yearbook", "SXYB2011_SZ")
cty("330681", "诸暨市", 2015, "gdp", 1026.61, "100m CNY", "yearbook", "ZHWIKI_zhuji")
cty(
    "330681", "诸暨市", 2005, "gdp", 324.66, "100m CNY", "bulletin-preliminary", "IICHATC_zhuji2005"
)
cty(
    "330681",
    "诸暨市",
    2005,
    "real_gdp_growth_pct",
    14.6,
    "pct",
    "bulletin-preliminary",
    "IICHATC_zhuji2005",
)
cty(
    "330681",
    "诸暨市",
    2024,
    "real_gdp_growth_pct",
    5.9,
    "pct",
    "bulletin-preliminary",
    "HENDELI_zhuji",
)
cty(
    "330681",
    "诸暨市",
    2024,
    "registered_population_10k",
    106.85,
    "10k persons",
    "bulletin-preliminary",
    "HENDELI_zhuji",
)
cty("330604", "上虞区", 2018, "gdp", 916.52, "100m CNY", "bulletin-preliminary", "TFT_SY2018")
cty(
    "330604",
    "上虞区",
    2018,
    "real_gdp_growth_pct",
    7.4,
    "pct",
    "bulletin-preliminary",
    "TFT_SY2018",
)
cty(
    "330624",
    "新昌县",
    2023,
    "primary_va_100m_cny",
    25.01,
    "100m CNY",
    "bulletin-preliminary",
    "BAIKE_xinchang",
)
cty(
    "330624",
    "新昌县",
    2023,
    "secondary_va_100m_cny",
    301.30,
    "100m CNY",
    "bulletin-preliminary",
    "BAIKE_xinchang",
)
cty(
    "330624",
    "新昌县",
    2023,
    "tertiary_va_100m_cny",
    280.36,
    "100m CNY",
    "bulletin-preliminary",
    "BAIKE_xinchang",
)
cty(
    "330624",
    "新昌县",
    2023,
    "resident_population_10k",
    41.17,
    "10k persons",
    "bulletin-preliminary",
    "BAIKE_xinchang",
)
for code, name, v in [
    ("330603", "柯桥区", 2252.28),
    ("330681", "诸暨市", 1861.08),
    ("330602", "越城区", 1413.57),
    ("330604", "上虞区", 1381.37),
    ("330683", "嵊州市", 800.25),
    ("330624", "新昌县", 660.06),
]:
    cty(code, name, 2024, "gdp", v, "100m CNY", "bulletin-preliminary", "E0575_2024")


# ======================================================================================
# Batch 4: competitor cities (bulletins / official news / secondary mirrors)
# ======================================================================================
SOURCES.update(
    {
        "ZJOL_2017": "Zhejiang Online (浙江在线) 2018-02-01 '嘉兴…全市GDP跨入4000亿时代': 2017 GDP 嘉兴4355.24亿(+7.8%), 杭州12556.16亿, 宁波9846.94亿, "
        "绍兴5108.04亿, 湖州2476.13亿, http://town.zjol.com.cn/czjsb/201802/t20180201_6499991.shtml",
        "JX_GB2022": "嘉兴市2022年国民经济和社会发展统计公报 (mirror) https://nextlevelartsconsulting.com/thuadong/5531.html "
        "(2022 GDP 6739.45亿, +2.5%; '经最终核实,2021年全市生产总值为6388.38亿元')",
        "JX_2021_maigoo": "maigoo.com article reproducing Jiaxing's 2021 统一核算 figure 6355.28亿 (+8.5%) and VA 131.97/3453.75/2769.56, https://maigoo.com/news/514119.html (secondary)",
        "JX_2020_mirror": "Article reproducing '根据地区生产总值统一初步核算,2020年嘉兴市生产总值(GDP)5509.52亿元,比上年增长3.5%', http://hbzqbyyxgs.com/news/514119.html (secondary)",
        "CZ_wiki_mirror": "Encyclopedia mirror of the 常州市 entry: 2020 GDP 7805.3亿(+4.5%); 2021 8807.58亿(+9.1%); 2022 9550亿(+3.5%), "
        "http://willowgroveairshows.com/baike/2734182.html (secondary)",
        "YT_GB2020": "烟台市2020年国民经济和社会发展统计公报 (烟台市统计局, 2021-03-24), mirror https://tjgb.hongheiku.com/1230.html",
    }
)
# replace the rounded 2017 Shaoxing bulletin value by the 2-decimal figure published by Zhejiang Online
CITY_GDP[:] = [r for r in CITY_GDP if not (r[0] == "330600" and r[2] == 2017)]
CORRIDOR[:] = [r for r in CORRIDOR if not (r[0] == "330600" and r[2] == 2017 and r[3] == "gdp")]
for code, name, v in [
    ("330400", "嘉兴市", 4355.24),
    ("330100", "杭州市", 12556.16),
    ("330200", "宁波市", 9846.94),
    ("330600", "绍兴市", 5108.04),
    ("330500", "湖州市", 2476.13),
]:
    add(code, name, 2017, v, "bulletin-preliminary", "ZJOL_2017")
for code, name, v in [
    ("330100", "杭州市", 12556.16),
    ("330200", "宁波市", 9846.94),
    ("330600", "绍兴市", 5108.04),
]:
    ci(code, name, 2017, "gdp", v, "100m CNY", "bulletin-preliminary", "ZJOL_2017")
add("330400", "嘉兴市", 2022, 6739.45, "bulletin-preliminary", "JX_GB2022")
add(
    "330400",
    "嘉兴市",
    2021,
    6355.28,
    "bulletin-preliminary",
    "JX_2021_maigoo",
    "preliminary; the 2022 bulletin gives the final verified 2021 value 6388.38 (not used here to keep 2021 in one vintage)",
)
add("330400", "嘉兴市", 2020, 5509.52, "bulletin-preliminary", "JX_2020_mirror")
add("320400", "常州市", 2020, 7805.3, "bulletin-preliminary", "CZ_wiki_mirror")
add("320400", "常州市", 2021, 8807.58, "bulletin-preliminary", "CZ_wiki_mirror")
add("320400", "常州市", 2022, 9550, "bulletin-preliminary", "CZ_wiki_mirror")
add("370600", "烟台市", 2020, 7816.42, "bulletin-preliminary", "YT_GB2020")


# ======================================================================================
# Batch 5
# ======================================================================================
SOURCES.update(
    {
        "SX_GB2003_tjcn": "绍兴市2003年国民经济和社会发展统计公报 (来源: 绍兴市统计局), reproduced on 中国统计信息网 http://www.tjcn.org/tjgb/11zj/1379.html",
        "HZ_census2004": "Hangzhou Daily (杭州日报) 2005-12-31 via Sohu: first national economic census result, Hangzhou 2004 GDP revised to 2543.18亿 "
        "(VA 132.23/1318.23/1092.72), https://news.sohu.com/20051231/n241225219.shtml",
        "CQSY2008_T1-5": "Chongqing Statistical Yearbook 2008, table 1-5 '国民经济和社会发展总量与速度指标' (GDP 1995, 1996, 2000, 2006, 2007), "
        "http://tjj.cq.gov.cn/zwgk_233/tjnj/2008/1/1-5.files/sheet001.htm",
        "DL_GB2023": "大连市2023年国民经济和社会发展统计公报 (大连市统计局), mirror http://m.xiaomonv0755.com/tjgb/06ln/37949.html",
        "DL_GB2000": "2000年大连市国民经济和社会发展统计公报, encyclopedia mirror https://www.jendow.com.tw/wiki/2000%E5%B9%B4%E5%A4%A7%E9%80%A3%E5%B8%82%E5%9C%8B%E6%B0%91%E7%B6%93%E6%BF%9F%E5%92%8C%E7%A4%BE%E6%9C%83%E7%99%BC%E5%B1%95%E7%B5%B1%E8%A8%88%E5%85%AC%E5%A0%B1",
    }
)
add("330600", "绍兴市", 2003, 1088.39, "bulletin-preliminary", "SX_GB2003_tjcn")
ci("330600", "绍兴市", 2003, "gdp", 1088.39, "100m CNY", "bulletin-preliminary", "SX_GB2003_tjcn")
ci(
    "330600",
    "绍兴市",
    2003,
    "real_gdp_growth_pct",
    15.0,
    "pct",
    "bulletin-preliminary",
    "SX_GB2003_tjcn",
)
ci(
    "330600",
    "绍兴市",
    2003,
    "primary_va_100m_cny",
    83.26,
    "100m CNY",
    "bulletin-preliminary",
    "SX_GB2003_tjcn",
)
ci(
    "330600",
    "绍兴市",
    2003,
    "secondary_va_100m_cny",
    644.40,
    "100m CNY",
    "bulletin-preliminary",
    "SX_GB2003_tjcn",
)
ci(
    "330600",
    "绍兴市",
    2003,
    "tertiary_va_100m_cny",
    360.73,
    "100m CNY",
    "bulletin-preliminary",
    "SX_GB2003_tjcn",
)
ci(
    "330600",
    "绍兴市",
    2003,
    "primary_share_pct",
    7.7,
    "pct",
    "bulletin-preliminary",
    "SX_GB2003_tjcn",
)
ci(
    "330600",
    "绍兴市",
    2003,
    "secondary_share_pct",
    59.2,
    "pct",
    "bulletin-preliminary",
    "SX_GB2003_tjcn",
)
ci(
    "330600",
    "绍兴市",
    2003,
    "tertiary_share_pct",
    33.1,
    "pct",
    "bulletin-preliminary",
    "SX_GB2003_tjcn",
)
ci(
    "330600",
    "绍兴市",
    2003,
    "gdp_per_capita_cny",
    25094,
    "CNY (registered population basis)",
    "bulletin-preliminary",
    "SX_GB2003_tjcn",
)
add(
    "330100",
    "杭州市",
    2004,
    2543.18,
    "census-revised",
    "HZ_census2004",
    "1st economic census revision of 2004 GDP (preliminary was 2515)",
)
ci("330100", "杭州市", 2004, "gdp", 2543.18, "100m CNY", "census-revised", "HZ_census2004")
ci(
    "330100",
    "杭州市",
    2004,
    "primary_va_100m_cny",
    132.23,
    "100m CNY",
    "census-revised",
    "HZ_census2004",
)
ci(
    "330100",
    "杭州市",
    2004,
    "secondary_va_100m_cny",
    1318.23,
    "100m CNY",
    "census-revised",
    "HZ_census2004",
)
ci(
    "330100",
    "杭州市",
    2004,
    "tertiary_va_100m_cny",
    1092.72,
    "100m CNY",
    "census-revised",
    "HZ_census2004",
)
for y, v in [(2000, 1603.16), (2006, 3452.14), (2007, 4122.51)]:
    add("500000", "重庆市", y, v, "yearbook", "CQSY2008_T1-5")
add("210200", "大连市", 2023, 8752.9, "bulletin-preliminary", "DL_GB2023")
add("210200", "大连市", 2000, 1110.8, "bulletin-preliminary", "DL_GB2000")


# ======================================================================================
# Batch 6: platforms and travel facts
# ======================================================================================
SOURCES.update(
    {
        "PD_bonded": "People's Daily Zhejiang channel (人民网浙江频道) 2021-01-07 reproducing 绍兴日报: '绍兴综合保税区于2020年9月获国务院批复设立…项目总规划面积约1.72平方公里'; "
        "phase 1 (1366 mu) started 2021-01-05 in 越城区/滨海新区, http://zj.people.com.cn/n2/2021/0107/c186938-34515487.html",
        "CNSTOCK_binhai": "Shanghai Securities News (中国证券网) 2020-12-08: Binhai New Area approved 2019-11-25, unveiled 2019-11-29; four leading industries "
        "电子信息、现代医药、智能制造、现代服务业; IC and high-end biomedicine platforms on the provincial 万亩千亿 list; IC platform >70 projects, "
        "total investment >300 bn CNY, http://www.cnstock.com/v_company/scp_gsxw/202012/4628205.htm",
        "ZJRB_wanmu2023": "Zhejiang Daily (浙江日报/潮新闻) 2023-06: 2022 evaluation of the provincial 万亩千亿 platforms: Shaoxing IC platform 2nd and high-end biomedicine "
        "platform 4th of 20; biomedicine platform located in 绍兴滨海新区, http://shoucang.dzwindows.com/zx/2023/0626/13351.html (reproduction)",
        "DFW_hsr2013": "Eastday (东方网) 2013-06-08 report on the Hangzhou-Ningbo passenger line: '宁波到杭州最快只需26分钟' (announced before opening) and "
        "'沪杭高铁从上海到杭州最快仅需49分钟', reproduced at http://zhenhaowuliu.com/News.asp?IDD=398&action=xx",
    }
)
TRAVEL.append(
    (
        "shanghai",
        "hangzhou",
        "rail",
        49,
        2013,
        "DFW_hsr2013",
        "Shanghai-Hangzhou high-speed railway, fastest train 49 minutes",
    )
)
TRAVEL.append(
    (
        "ningbo",
        "hangzhou",
        "rail",
        26,
        2013,
        "DFW_hsr2013",
        "Hangzhou-Ningbo passenger dedicated line, fastest time announced by Ningbo transport authorities before the line opened (claim, not a timetable)",
    )
)
# update platform rows with sourced facts
_upd = {
    "binhai_new_area": (
        "yuecheng",
        430,
        2019,
        "electronics_ic;biomedicine;equipment;services",
        ["BINHAI_approval", "BINHAI_plan", "CNSTOCK_binhai", "SEED"],
        "approved 2019-11-25, unveiled 2019-11-29; 430 km2 planned control area (47 km2 start area per the seed text); "
        "spans 越城区 streets plus 上虞区沥海街道 (region_id = yuecheng for the bulk); leading industries 电子信息、现代医药、智能制造、现代服务业",
    ),
    "ic_platform": (
        "yuecheng",
        None,
        None,
        "electronics_ic",
        ["SEED", "CNSTOCK_binhai", "ZJRB_wanmu2023"],
        "located in 绍兴滨海新区 (越城区 IC cluster); >70 projects and >300 bn CNY planned investment by Dec 2020; 2nd of 20 provincial platforms in the 2022 evaluation",
    ),
    "biomed_platform": (
        "yuecheng",
        None,
        None,
        "biomedicine",
        ["SEED", "CNSTOCK_binhai", "ZJRB_wanmu2023"],
        "located in 绍兴滨海新区; 4th of 20 provincial platforms in the 2022 evaluation",
    ),
    "bonded_zone": (
        "yuecheng",
        1.72,
        2020,
        "",
        ["SEED", "PD_bonded"],
        "sought in the seed text; approved by the State Council in September 2020; about 1.72 km2 planned; phase 1 construction from January 2021",
    ),
}
PLATFORMS[:] = [
    (
        p[0],
        p[1],
        p[2],
        _upd[p[0]][0],
        _upd[p[0]][1],
        _upd[p[0]][2],
        _upd[p[0]][3],
        p[7],
        _upd[p[0]][4],
        _upd[p[0]][5],
    )
    if p[0] in _upd
    else p
    for p in PLATFORMS
]


# ======================================================================================
# Batch 7 (English-language official/press reports; values published in rounded form are marked as such)
# ======================================================================================
SOURCES.update(
    {
        "GT_SH2019": "Global Times 2020-01-21 'Shanghai GDP up by 6 percent in 2019' (announced by the Shanghai Municipal Statistics Bureau): GDP 3.82 trillion yuan, "
        "services 72.7% of GDP, http://www.globaltimes.cn/content/1177669.shtml",
        "GTRIB_HZ2020": "The Global Tribune 'Hangzhou's GDP reaches 1.61 trillion yuan in 2020' (Hangzhou municipal statistical bureau): +3.9%; exports 369.3 bn yuan, "
        "https://news.theglobaltribune.com/story/305920/hangzhous-gdp-reaches-161-trillion-yuan-in-2020.html",
        "EZJ_SX2018": "ezhejiang.gov.cn (Zhejiang provincial government English portal) 2019-09-16: Shaoxing regional GDP 541.7 billion yuan in 2018, "
        "permanent population exceeding 5 million, http://www.ezhejiang.gov.cn/2019-09/16/c_407713.htm",
    }
)
add(
    "310000",
    "上海市",
    2019,
    38200,
    "bulletin-preliminary",
    "GT_SH2019",
    "published rounded: 3.82 trillion yuan",
)
ci("310000", "上海市", 2019, "gdp", 38200, "100m CNY", "bulletin-preliminary", "GT_SH2019")
ci("310000", "上海市", 2019, "real_gdp_growth_pct", 6.0, "pct", "bulletin-preliminary", "GT_SH2019")
ci("310000", "上海市", 2019, "tertiary_share_pct", 72.7, "pct", "bulletin-preliminary", "GT_SH2019")
add(
    "330100",
    "杭州市",
    2020,
    16100,
    "bulletin-preliminary",
    "GTRIB_HZ2020",
    "published rounded: 1.61 trillion yuan",
)
ci("330100", "杭州市", 2020, "gdp", 16100, "100m CNY", "bulletin-preliminary", "GTRIB_HZ2020")
ci(
    "330100",
    "杭州市",
    2020,
    "real_gdp_growth_pct",
    3.9,
    "pct",
    "bulletin-preliminary",
    "GTRIB_HZ2020",
)
ci(
    "330100",
    "杭州市",
    2020,
    "exports_100m_cny",
    3693,
    "100m CNY",
    "bulletin-preliminary",
    "GTRIB_HZ2020",
)
add(
    "330600",
    "绍兴市",
    2018,
    5417,
    "yearbook",
    "EZJ_SX2018",
    "stated Sept 2019 (after final verification), published as 541.7 bn yuan",
)
ci("330600", "绍兴市", 2018, "gdp", 5417, "100m CNY", "yearbook", "EZJ_SX2018")


SOURCES.update(
    {
        "CD_NB2022": "China Daily 2023-03-01 'Ningbo's GDP hits 1.57t yuan in 2022' (local statistics authorities): +3.5%; VA 39.2 / 741.35 / 790.88 bn yuan; "
        "exports 823.06 bn yuan, http://regional.chinadaily.com.cn/ningbo/2023-03/01/c_864924.htm",
        "NBLIFE_pop2022": "Ningbo Life reporting the Ningbo Municipal Bureau of Statistics '2022 Ningbo Population Main Data Bulletin': permanent population 9.618 million "
        "at end-2022 and 9.544 million at end-2021, https://ningbolife.com/index.php/governmental-news.html?start=45",
    }
)
add(
    "330200",
    "宁波市",
    2022,
    15700,
    "bulletin-preliminary",
    "CD_NB2022",
    "published rounded: 1.57 trillion yuan",
)
ci("330200", "宁波市", 2022, "gdp", 15700, "100m CNY", "bulletin-preliminary", "CD_NB2022")
ci("330200", "宁波市", 2022, "real_gdp_growth_pct", 3.5, "pct", "bulletin-preliminary", "CD_NB2022")
ci(
    "330200",
    "宁波市",
    2022,
    "primary_va_100m_cny",
    392,
    "100m CNY",
    "bulletin-preliminary",
    "CD_NB2022",
)
ci(
    "330200",
    "宁波市",
    2022,
    "secondary_va_100m_cny",
    7413.5,
    "100m CNY",
    "bulletin-preliminary",
    "CD_NB2022",
)
ci(
    "330200",
    "宁波市",
    2022,
    "tertiary_va_100m_cny",
    7908.8,
    "100m CNY",
    "bulletin-preliminary",
    "CD_NB2022",
)
ci(
    "330200",
    "宁波市",
    2022,
    "exports_100m_cny",
    8230.6,
    "100m CNY",
    "bulletin-preliminary",
    "CD_NB2022",
)
ci(
    "330200",
    "宁波市",
    2022,
    "resident_population_10k",
    961.8,
    "10k persons",
    "bulletin-preliminary",
    "NBLIFE_pop2022",
)
ci(
    "330200",
    "宁波市",
    2021,
    "resident_population_10k",
    954.4,
    "10k persons",
    "bulletin-preliminary",
    "NBLIFE_pop2022",
)


SOURCES.update(
    {
        "W2C_SH_RD2019": "window-to-china.de 2020-12-08 citing JST China news / the 'Shanghai Technology Innovation Center Construction Report 2019': "
        "'Shanghai's overall R&D spending as a percentage of GDP was 4% last year' (2019), "
        "https://window-to-china.de/2020/12/08/shanghai-claims-rd-investments-of-4-of-its-gdp-in-2019/ (secondary)",
    }
)
ci(
    "310000",
    "上海市",
    2019,
    "rd_spending_share_pct",
    4.0,
    "pct",
    "bulletin-preliminary",
    "W2C_SH_RD2019",
)


# ======================================================================================
# Batch 8: competitor cities from official English portals / Xinhua / China Daily and secondary pages
# ======================================================================================
SOURCES.update(
    {
        "WZ_gov_2019": "Wenzhou government English site 2020-03-20: 'Wenzhou achieved a regional GDP of RMB 660.61 billion in 2019, +8.2%' (Wenzhou Municipal Statistics "
        "Bureau, based on Zhejiang provincial accounting), http://english.wenzhou.gov.cn/art/2020/3/20/art_1231275_42337127.html",
        "RSA_WZ2021": "RSA 'Wenzhou and Economic Trends': 'In 2021, the GDP reached 758 billion RMB, up 7.7%', https://www.rsa-tax.com/single-post/wenzhou-and-economic-trends (secondary)",
        "CD_XM2021": "China Daily 2022-10-20 'Riding the waves of prosperity in decade of growth for Xiamen': 'the city's GDP reached 703.39 billion yuan in 2021' (official data), "
        "http://fujian.chinadaily.com.cn/2022-10/20/c_822538.htm",
        "XH_TJ2021": "Xinhua 2022-01-20 'China's Tianjin posts 6.6 pct GDP growth in 2021': GDP 1.57 trillion yuan, https://english.news.cn/20220120/1828d9fb39494a3cb5963d33d1dd082d/c.html",
        "RSA_XZ2021": "RSA 'Xuzhou and Economic Trends': 'In 2021, the GDP reached 812 billion RMB, up 8.7%', https://www.rsa-tax.com/single-post/xuzhou-and-economic-trends (secondary)",
        "DL_gov_2018": "Dalian government English site 2020-02-11 'Overall situation in Dalian': 2018 GDP 736.39 billion yuan, +7.1%, https://en.dl.gov.cn/art/2020/2/11/art_1306_321535.html",
        "RSA_DL2021": "RSA 'Dalian and Economic Trends': 'In 2021, the GDP reached 780 billion RMB, up 8.2%', https://www.rsa-tax.com/single-post/dalian-and-economic-trends (secondary)",
        "CD_YT2022": "China Daily 2023-04-27 'Yantai tops Shandong's list for high-quality development': 'In 2022, Yantai achieved a GDP of 951.59 billion yuan, up 5.1 percent', "
        "http://shandong.chinadaily.com.cn/yantai/2023-04/27/c_886733.htm",
        "AOSK_jinan": "Machine-translated article 'Jinan's GDP ranked 3 places three years ago…' (2022-05-21): Jinan 2019 944.3 bn, 2020 1014.1 bn, 2021 1,143.2 bn yuan; "
        "Quanzhou 2019 994.7 bn yuan, http://www.aoskwyaag.cn/2022/05/21/Jinans-GDP-ranked-3-places-three-years-ago-Qingdao-remained-unchanged-Yantai-dropped-1-place-and-Weifang-rose-5-places/ (secondary, low trust)",
        "NEAG_weifang": "Machine-translated article on 2021 GDP of Shandong cities (2022-05-22): 'in 2020 … Weifang GDP is only 587.22 billion yuan', "
        "http://www.neag88.cn/2022/05/22/In-2021-the-GDP-of-16-cities-in-Shandong-will-exceed-1-trillion-yuan-Weifang-is-close-to-Yantai-and-Jining-ranks-sixth/ (secondary, low trust)",
    }
)
add("330300", "温州市", 2019, 6606.1, "bulletin-preliminary", "WZ_gov_2019", "RMB 660.61 bn")
add(
    "330300",
    "温州市",
    2021,
    7580,
    "bulletin-preliminary",
    "RSA_WZ2021",
    "published rounded: 758 bn RMB; secondary page",
)
add("350200", "厦门市", 2021, 7033.9, "bulletin-preliminary", "CD_XM2021", "703.39 bn yuan")
add(
    "120000",
    "天津市",
    2021,
    15700,
    "bulletin-preliminary",
    "XH_TJ2021",
    "published rounded: 1.57 trillion yuan",
)
add(
    "320300",
    "徐州市",
    2021,
    8120,
    "bulletin-preliminary",
    "RSA_XZ2021",
    "published rounded: 812 bn RMB; secondary page",
)
add("210200", "大连市", 2018, 7363.9, "bulletin-preliminary", "DL_gov_2018", "736.39 bn yuan")
add(
    "210200",
    "大连市",
    2021,
    7800,
    "bulletin-preliminary",
    "RSA_DL2021",
    "published rounded: 780 bn RMB; secondary page",
)
add("370600", "烟台市", 2022, 9515.9, "bulletin-preliminary", "CD_YT2022", "951.59 bn yuan")
add(
    "370100",
    "济南市",
    2019,
    9443,
    "bulletin-preliminary",
    "AOSK_jinan",
    "944.3 bn yuan; secondary, low trust",
)
add(
    "370100",
    "济南市",
    2020,
    10141,
    "bulletin-preliminary",
    "AOSK_jinan",
    "1014.1 bn yuan; secondary, low trust",
)
add(
    "370100",
    "济南市",
    2021,
    11432,
    "bulletin-preliminary",
    "AOSK_jinan",
    "1,143.2 bn yuan; secondary, low trust",
)
add(
    "350500",
    "泉州市",
    2019,
    9947,
    "bulletin-preliminary",
    "AOSK_jinan",
    "994.7 bn yuan; secondary, low trust",
)
add(
    "370700",
    "潍坊市",
    2020,
    5872.2,
    "bulletin-preliminary",
    "NEAG_weifang",
    "587.22 bn yuan; secondary, low trust",
)


# ======================================================================================
# Batch 9 (secondary pages; each marked)
# ======================================================================================
SOURCES.update(
    {
        "RSA_SZ2020": "RSA 'Suzhou and Economic Trends': 'In 2020, Suzhou's GDP reached 2,017 billion RMB, ranking sixth in the country', "
        "https://www.rsa-tax.com/single-post/suzhou-and-economic-trends (secondary)",
        "BDBFW_SY2020": "Korean-language page translating the Shenyang Statistics Bureau release '2020年沈阳经济运行': 2020 GDP 6,571.6亿 (VA 303.6/2,160.4/4,107.6亿), +0.8%, "
        "http://bdbfw.com/touristattractions/vvomndqqkl.html (secondary)",
        "SRBBG_TS": "Tangshan profile page (copy of the English Wikipedia text) http://en.srbbg.com/advantage: 2008 GDP ¥356.119 billion; 2011 GDP 544.2 billion RMB (+11.7%) (secondary)",
        "XH_KM2018": "Xinhua Silk Road report (2019-09-26) reproduced at https://eglobaltravelmedia.com.au/2019/09/26/xinhua-silk-road-kunming-steadily-promotes-construction-of-regional-intl-center/: "
        "Kunming GDP 520.6 billion yuan in 2018; structure 4.3:38.4:57.3 (secondary reproduction)",
        "P085_WF2021": "Machine-translated New Beijing think-tank article citing Weifang Daily: 'weifang's GDP reached 701.06 billion yuan in 2021, an increase of 9.7%' (and 2020 587.22 bn, 39th nationally), "
        "http://www.p085.cn/2022/06/03/GDP-from-three-line-straight-back-to-a-new-line-and-the-city-became-a-dark-horse-new-Beijing-think-tank/ (secondary)",
        "ECC_SJZ2006": "eChinaCities 'Shijiazhuang Business Guide - Economic Overview', Vital Statistics (2006): GDP RMB 206.4 billion, +13.2%, ranking 43rd among all Chinese cities, "
        "https://www.echinacities.com/news/Shijiazhuang-Business-Guide-Economic-Overview (secondary)",
    }
)
add(
    "320500",
    "苏州市",
    2020,
    20170,
    "bulletin-preliminary",
    "RSA_SZ2020",
    "published rounded: 2,017 bn RMB; secondary page",
)
add(
    "210100",
    "沈阳市",
    2020,
    6571.6,
    "bulletin-preliminary",
    "BDBFW_SY2020",
    "secondary (translation)",
)
add(
    "130200",
    "唐山市",
    2008,
    3561.19,
    "bulletin-preliminary",
    "SRBBG_TS",
    "¥356.119 bn; secondary page, vintage not stated",
)
add(
    "130200",
    "唐山市",
    2011,
    5442,
    "bulletin-preliminary",
    "SRBBG_TS",
    "544.2 bn RMB; secondary page",
)
add(
    "530100",
    "昆明市",
    2018,
    5206,
    "bulletin-preliminary",
    "XH_KM2018",
    "520.6 bn yuan; vintage not stated",
)
add(
    "370700",
    "潍坊市",
    2021,
    7010.6,
    "bulletin-preliminary",
    "P085_WF2021",
    "701.06 bn yuan; secondary, low trust",
)
add(
    "130100",
    "石家庄市",
    2006,
    2064,
    "bulletin-preliminary",
    "ECC_SJZ2006",
    "206.4 bn RMB; secondary page",
)

# ======================================================================================
# Batch 10 (corridor series extension: government work reports, official/press releases of the
# statistics bureaus, population bulletins).  Values published in rounded form are marked as such.
# ======================================================================================
SOURCES.update(
    {
        "ZJOL_SX2011": "Zhejiang Online (浙江在线) 2012-05-11 via CNR (央广网): Shaoxing municipal government press conference on the 2011 economy: "
        "'2011年全市GDP3291.23亿元,按可比价计算,同比增长10.5%', VA 172.16/1843.63/1275.44亿, FAI 1426.26亿, "
        "http://cnr.cn/2012zt/zjmyjj/sx/201205/t20120516_509632113.shtml",
        "SX_GWR2014": "绍兴市政府工作报告 (2014-02-18, 市长 俞志宏), review of 2013: GDP 3967亿 (+8.5%), FAI 2002亿, exports 279亿美元, "
        "'预计研究与试验发展经费支出占生产总值比例为2.1%'; copy of the China Economic Net (ce.cn) local-GWR page at "
        "http://cheap-bikini.com/newarea/roll/201403/14/t20140314_2485582.shtml (mirror)",
        "SX_census2010": "绍兴市2010年第六次全国人口普查主要数据公报 (2011年绍兴年鉴, 统计资料), Shaoxing municipal government site: resident population 491.22万 "
        "(2000 5th census: 430.42万), https://www.sx.gov.cn/art/2012/1/4/art_1462205_16993159.html",
        "ASKCI_SX2017": "中商情报网 2018-03-14 citing 绍兴统计 (Shaoxing Bureau of Statistics) 2017 population data: year-end resident population 501万, urbanisation 65.5%, "
        "http://www.askci.com/news/finance/20180314/104526119676.shtml (secondary)",
        "SX_GB2023_pop": "Page reproducing the population section of 《2023年绍兴市国民经济和社会发展统计公报》 and the 公安年报: resident population end-2023 539.4万 "
        "(end-2022 535.3万), registered 443.94万; county table (2023 resident population from the 1‰ sample survey, registered from the police "
        "annual report), http://alqotr.com/news/702022.html (secondary reproduction)",
        "ICBC_SH2011": "ICBC news page '2011年上海GDP增长8.2%,人均GDP全国第一' (据初步核算 2011 GDP 19195.69亿, +8.2%; tertiary VA 11111.06亿, 57.9%), "
        "https://www.icbc.com.cn/ICBC/%E7%BD%91%E4%B8%8A%E8%82%A1%E7%A5%A8/%E8%82%A1%E5%B8%82%E8%A6%81%E9%97%BB/%E8%82%A1%E5%B8%82%E8%B5%84%E8%AE%AF/"
        "212011%E5%B9%B4%E4%B8%8A%E6%B5%B7GDP%E5%A2%9E%E9%95%BF8.2%E4%BA%BA%E5%9D%87GDP%E5%85%A8%E5%9B%BD%E7%AC%AC%E4%B8%80.htm",
        "SHITAL_SH2013": "Shanghai talent portal (sh-italent.com) 'Economic Strength' 2015-10-20: 'The city's GDP totaled 2.160212 trillion yuan [2013], up 7.7%', "
        "https://www.sh-italent.com/Article/201510/201510200041.shtml",
        "SH_GB2014_chinagate": "2014年上海市国民经济和社会发展统计公报 reproduced on 中国发展门户网 (chinagate.cn) 2015-03-04: GDP 23560.94亿 (+7.0%), VA 124.26/8164.79/15271.89亿, "
        "tertiary 64.8%, http://cn.chinagate.cn/reports/2015-03/04/content_34953832.htm",
        "XH_SH2015": "Xinhua 2016-01-20 via Sohu '三个视角观察2015年上海经济成绩单': 经初步核算 2015 GDP 24964.99亿 (+6.9%); 'R&D经费支出占GDP比重达3.7%', "
        "https://business.sohu.com/20160120/n435228339.shtml",
        "SD_SH2012": "Shanghai Daily via People's Daily Online 2013-01-22: Shanghai 2012 GDP 'totalled 2.01 trillion yuan', +7.5%, http://en.people.cn/90778/8101866.html",
        "XH_SH2010": "Xinhua via China Daily 2012-01-11 'Shanghai sets 2012 GDP growth at 8%': 'Shanghai's GDP in 2010 was 1.69 trillion yuan'; 2010 growth 9.9%, "
        "http://usa.chinadaily.com.cn/business/2012-01/11/content_14424259.htm",
        "SD_SH2017": "Shanghai Daily 'Shanghai — a star performer in economic growth' (Jan 2018, municipal statistics bureau): 2017 GDP 3.01 trillion yuan, +6.9%; "
        "sector proportions 0.3/30.7/69 %; FAI 724.66 bn yuan, https://archive.shine.cn/nation/Shanghai-a-star-performer-in-economic-growth/shdaily.shtml; "
        "same GDP on the Shanghai government site http://www.shanghai.gov.cn/shanghai/node27118/node27818/u22ai88753.html",
        "GT_SH2017_RD": "Global Times 2018-03-11 'Shanghai's 2017 GDP per capita exceeds $19,000' (Wenhui Daily): 'Investment in research and development accounts for "
        "3.78 percent of the total GDP', http://www.globaltimes.cn/content/1092744.shtml",
        "XH_SH2020": "Xinhua 2021-01-24 'Shanghai targets 6 pct GDP growth in 2021' (government work report): 2020 growth 1.7%; GDP '3.87 trillion yuan in 2020', "
        "reproduced at https://www.sanantoniopost.com/news/267629238/shanghai-targets-6-pct-gdp-growth-in-2021",
        "SD_SH2022": "Shanghai Daily 2023-03-23 on the 2022 Shanghai statistics communiqué: GDP 4.465 trillion yuan, -0.2%; GDP per capita 180,400 yuan, "
        "http://www.shine.cn/biz/economy/2303237628/",
        "TP_SH_pop2022": "The Paper (澎湃新闻) on the Shanghai Bureau of Statistics 2022 population sample survey: 2022 resident population 2475.89万, reproduced at "
        "http://www.ltcy5.cn/news/4676.html (secondary reproduction)",
        "HZ_GWR2009": "2009 Hangzhou Municipal Government Work Report (English, eng.hangzhou.gov.cn): 2008 GDP 478.116 bn RMB (+11%), structure 3.7:50.0:46.3, "
        "R&D 2.6% of GDP, http://eng.hangzhou.gov.cn/art/2015/11/30/art_1208255_929518.html",
        "HZ_GWR2010": "2010 Hangzhou Municipal Government Work Report (English): 2009 GDP 509.866 bn RMB (+10%), structure 3.7:47.8:48.5, R&D 2.6% of GDP, "
        "http://eng.hangzhou.gov.cn/art/2015/11/30/art_1208255_929519.html",
        "HZ_GWR2011": "2011 Hangzhou Municipal Government Work Report (English): 'Preliminary statistics show that Hangzhou's GDP reached 594.582 billion RMB in 2010', +12%; "
        "FAI 275.313 bn; exports 35.337 bn USD, http://eng.hangzhou.gov.cn/art/2015/11/30/art_1208255_929520.html",
        "HZ_GWR2013": "2013 Hangzhou Municipal Government Work Report (English, delivered 2013-02-19): 2012 GDP 780.398 bn yuan (+9%), "
        "http://eng.hangzhou.gov.cn/col/col812349/index.html; services 50.2% of GDP per Shanghai Daily "
        "https://archive.shine.cn/city-specials/hangzhou/List-of-tasks-for-city/shdaily.shtml",
        "SD_HZ2008": "Shanghai Daily West Lake Expo supplement: 2008 Hangzhou FAI 196.172 bn yuan, "
        "https://archive.shine.cn/supplement/west-lake-expo/Citys-strong-growth-adds-up-to-more-than-a-pretty-face/shdaily.shtml",
        "HZ_GWR2023": "Hangzhou Foreign Affairs Office 2023-02-23 'Highlights of the Report on the Work of Hangzhou People's Government 2023': 2022 GDP RMB 1,875.3 bn (+1.5%), "
        "exports RMB 514.1 bn, https://www.ehangzhou.gov.cn/2023-02/23/c_283927.htm",
        "HZ_pop2016": "杭州市统计局 '2016年杭州市人口变动抽样调查主要数据公报' (2017-02-23): end-2016 resident population 918.8万, "
        "https://tjj.hangzhou.gov.cn/art/2017/2/23/art_1229279682_3486680.html",
        "TP_HZ_pop2019": "The Paper (澎湃新闻) 2020-03 on the 2019 and 2018 Hangzhou statistical bulletins: resident population end-2019 1036.0万, end-2018 980.6万; "
        "registered 795.4万 (2019), 774.1万 (2018), reproduced at http://www.kxwhcb.com/newsDetail_forward_6624085?commTag=true (secondary reproduction)",
        "ZJOL_NB2009": "Zhejiang Online 2010-11-26, Ningbo '十一五' achievements press conference: '2009年全市地区生产总值达到4329.3亿元', "
        "http://zjnews.zjol.com.cn/system/2010/11/26/017119444.shtml",
        "PD_NB2007": "People's Daily via Sina 2008-05-22: '2007年,宁波市GDP3433.08亿元'; registered population 564.6万, "
        "http://torch.2008.sina.com.cn/hd/other/2008-05-22/074386802.shtml",
        "NB_census2020": "宁波市第七次全国人口普查主要数据公报: resident population 9,404,283 (2010 6th census: 7,605,689), reproduced at "
        "http://xindetihuiya.com/news/shuju/946230.html (secondary reproduction)",
        "NB_pop2024": "宁波市统计局 2024年宁波市常住人口主要数据 (2025-03-10): end-2024 resident population 977.7万, end-2023 969.7万, reproduced at "
        "http://bx2200.com/renkoupc/huadong/12134.html (secondary reproduction)",
        "SZ_GB2022": "2022年嵊州市国民经济和社会发展统计公报 (mirror): GDP 711.08亿 (+4.1%), VA 44.52/330.52/336.03亿, https://tjgb.hongheiku.com/xjtjgb/xj2020/36385.html",
        "SXX_GWR2010_tr": "绍兴县 2010 government work report (review of 2009), English machine translation: 'annual gross domestic product (GDP) of 65.526 billion yuan, an increase "
        "of 9.8%', R&D 1.8% of GDP, http://www.plnmw.com/LawyersDirectory/ckbqzmxrgx.html (secondary, translation)",
        "HRR_zhuji2013": "Travel page on 诸暨市: '2013年,全市实现生产总值900.88亿元', http://www.hongrongrong.cn/destination/zhuji (secondary)",
    }
)

# --- Shaoxing
add(
    "330600",
    "绍兴市",
    2011,
    3291.23,
    "bulletin-preliminary",
    "ZJOL_SX2011",
    "municipal press conference May 2012",
)
ci("330600", "绍兴市", 2011, "gdp", 3291.23, "100m CNY", "bulletin-preliminary", "ZJOL_SX2011")
ci(
    "330600",
    "绍兴市",
    2011,
    "real_gdp_growth_pct",
    10.5,
    "pct",
    "bulletin-preliminary",
    "ZJOL_SX2011",
)
ci(
    "330600",
    "绍兴市",
    2011,
    "primary_va_100m_cny",
    172.16,
    "100m CNY",
    "bulletin-preliminary",
    "ZJOL_SX2011",
)
ci(
    "330600",
    "绍兴市",
    2011,
    "secondary_va_100m_cny",
    1843.63,
    "100m CNY",
    "bulletin-preliminary",
    "ZJOL_SX2011",
)
ci(
    "330600",
    "绍兴市",
    2011,
    "tertiary_va_100m_cny",
    1275.44,
    "100m CNY",
    "bulletin-preliminary",
    "ZJOL_SX2011",
)
ci(
    "330600",
    "绍兴市",
    2011,
    "fixed_asset_investment_100m_cny",
    1426.26,
    "100m CNY",
    "bulletin-preliminary",
    "ZJOL_SX2011",
)
ci(
    "330600",
    "绍兴市",
    2013,
    "fixed_asset_investment_100m_cny",
    2002,
    "100m CNY",
    "bulletin-preliminary",
    "SX_GWR2014",
)
ci(
    "330600",
    "绍兴市",
    2013,
    "exports_100m_usd",
    279,
    "100m USD",
    "bulletin-preliminary",
    "SX_GWR2014",
)
ci(
    "330600",
    "绍兴市",
    2013,
    "rd_spending_share_pct",
    2.1,
    "pct",
    "bulletin-preliminary",
    "SX_GWR2014",
)  # '预计' (estimate) in the report
ci(
    "330600",
    "绍兴市",
    2000,
    "resident_population_10k",
    430.42,
    "10k persons",
    "census",
    "SX_census2010",
)
ci(
    "330600",
    "绍兴市",
    2010,
    "resident_population_10k",
    491.22,
    "10k persons",
    "census",
    "SX_census2010",
)
ci(
    "330600",
    "绍兴市",
    2017,
    "resident_population_10k",
    501.0,
    "10k persons",
    "bulletin-preliminary",
    "ASKCI_SX2017",
)
ci(
    "330600",
    "绍兴市",
    2022,
    "resident_population_10k",
    535.3,
    "10k persons",
    "bulletin-preliminary",
    "SX_GB2023_pop",
)
ci(
    "330600",
    "绍兴市",
    2023,
    "resident_population_10k",
    539.4,
    "10k persons",
    "bulletin-preliminary",
    "SX_GB2023_pop",
)
ci(
    "330600",
    "绍兴市",
    2023,
    "registered_population_10k",
    443.94,
    "10k persons",
    "bulletin-preliminary",
    "SX_GB2023_pop",
)

# --- Shanghai
for y, v, src, note in [
    (2010, 16900, "XH_SH2010", "published rounded: 1.69 trillion yuan"),
    (2011, 19195.69, "ICBC_SH2011", ""),
    (2012, 20100, "SD_SH2012", "published rounded: 2.01 trillion yuan"),
    (2013, 21602.12, "SHITAL_SH2013", "2.160212 trillion yuan; vintage not stated on the page"),
    (2014, 23560.94, "SH_GB2014_chinagate", ""),
    (2015, 24964.99, "XH_SH2015", ""),
    (2017, 30100, "SD_SH2017", "published rounded: 3.01 trillion yuan"),
    (2020, 38700, "XH_SH2020", "published rounded: 3.87 trillion yuan"),
    (2022, 44650, "SD_SH2022", "published rounded: 4.465 trillion yuan"),
]:
    add("310000", "上海市", y, v, "bulletin-preliminary", src, note)
    ci("310000", "上海市", y, "gdp", v, "100m CNY", "bulletin-preliminary", src)
for y, g, src in [
    (2010, 9.9, "XH_SH2010"),
    (2011, 8.2, "ICBC_SH2011"),
    (2012, 7.5, "SD_SH2012"),
    (2013, 7.7, "SHITAL_SH2013"),
    (2014, 7.0, "SH_GB2014_chinagate"),
    (2015, 6.9, "XH_SH2015"),
    (2017, 6.9, "SD_SH2017"),
    (2020, 1.7, "XH_SH2020"),
    (2022, -0.2, "SD_SH2022"),
]:
    ci("310000", "上海市", y, "real_gdp_growth_pct", g, "pct", "bulletin-preliminary", src)
ci(
    "310000",
    "上海市",
    2011,
    "tertiary_va_100m_cny",
    11111.06,
    "100m CNY",
    "bulletin-preliminary",
    "ICBC_SH2011",
)
ci(
    "310000",
    "上海市",
    2011,
    "tertiary_share_pct",
    57.9,
    "pct",
    "bulletin-preliminary",
    "ICBC_SH2011",
)
ci(
    "310000",
    "上海市",
    2014,
    "primary_va_100m_cny",
    124.26,
    "100m CNY",
    "bulletin-preliminary",
    "SH_GB2014_chinagate",
)
ci(
    "310000",
    "上海市",
    2014,
    "secondary_va_100m_cny",
    8164.79,
    "100m CNY",
    "bulletin-preliminary",
    "SH_GB2014_chinagate",
)
ci(
    "310000",
    "上海市",
    2014,
    "tertiary_va_100m_cny",
    15271.89,
    "100m CNY",
    "bulletin-preliminary",
    "SH_GB2014_chinagate",
)
ci(
    "310000",
    "上海市",
    2014,
    "tertiary_share_pct",
    64.8,
    "pct",
    "bulletin-preliminary",
    "SH_GB2014_chinagate",
)
ci(
    "310000",
    "上海市",
    2015,
    "rd_spending_share_pct",
    3.7,
    "pct",
    "bulletin-preliminary",
    "XH_SH2015",
)
ci("310000", "上海市", 2017, "primary_share_pct", 0.3, "pct", "bulletin-preliminary", "SD_SH2017")
ci(
    "310000",
    "上海市",
    2017,
    "secondary_share_pct",
    30.7,
    "pct",
    "bulletin-preliminary",
    "SD_SH2017",
)
ci("310000", "上海市", 2017, "tertiary_share_pct", 69.0, "pct", "bulletin-preliminary", "SD_SH2017")
ci(
    "310000",
    "上海市",
    2017,
    "fixed_asset_investment_100m_cny",
    7246.6,
    "100m CNY",
    "bulletin-preliminary",
    "SD_SH2017",
)
ci(
    "310000",
    "上海市",
    2017,
    "rd_spending_share_pct",
    3.78,
    "pct",
    "bulletin-preliminary",
    "GT_SH2017_RD",
)
ci(
    "310000",
    "上海市",
    2022,
    "gdp_per_capita_cny",
    180400,
    "CNY",
    "bulletin-preliminary",
    "SD_SH2022",
)
ci(
    "310000",
    "上海市",
    2022,
    "resident_population_10k",
    2475.89,
    "10k persons",
    "bulletin-preliminary",
    "TP_SH_pop2022",
)

# --- Hangzhou
for y, v, src, note in [
    (2008, 4781.16, "HZ_GWR2009", "478.116 bn RMB (government work report)"),
    (2009, 5098.66, "HZ_GWR2010", "509.866 bn RMB (government work report)"),
    (2010, 5945.82, "HZ_GWR2011", "594.582 bn RMB, preliminary"),
    (2012, 7803.98, "HZ_GWR2013", "780.398 bn yuan (government work report)"),
    (2022, 18753, "HZ_GWR2023", "published rounded: RMB 1,875.3 bn"),
]:
    add("330100", "杭州市", y, v, "bulletin-preliminary", src, note)
    ci("330100", "杭州市", y, "gdp", v, "100m CNY", "bulletin-preliminary", src)
for y, g, src in [
    (2008, 11.0, "HZ_GWR2009"),
    (2009, 10.0, "HZ_GWR2010"),
    (2010, 12.0, "HZ_GWR2011"),
    (2012, 9.0, "HZ_GWR2013"),
    (2022, 1.5, "HZ_GWR2023"),
]:
    ci("330100", "杭州市", y, "real_gdp_growth_pct", g, "pct", "bulletin-preliminary", src)
for y, sh, src in [
    (2008, (3.7, 50.0, 46.3), "HZ_GWR2009"),
    (2009, (3.7, 47.8, 48.5), "HZ_GWR2010"),
]:
    ci("330100", "杭州市", y, "primary_share_pct", sh[0], "pct", "bulletin-preliminary", src)
    ci("330100", "杭州市", y, "secondary_share_pct", sh[1], "pct", "bulletin-preliminary", src)
    ci("330100", "杭州市", y, "tertiary_share_pct", sh[2], "pct", "bulletin-preliminary", src)
    ci("330100", "杭州市", y, "rd_spending_share_pct", 2.6, "pct", "bulletin-preliminary", src)
ci(
    "330100",
    "杭州市",
    2012,
    "tertiary_share_pct",
    50.2,
    "pct",
    "bulletin-preliminary",
    "HZ_GWR2013",
)
ci(
    "330100",
    "杭州市",
    2008,
    "fixed_asset_investment_100m_cny",
    1961.72,
    "100m CNY",
    "bulletin-preliminary",
    "SD_HZ2008",
)
ci(
    "330100",
    "杭州市",
    2010,
    "fixed_asset_investment_100m_cny",
    2753.13,
    "100m CNY",
    "bulletin-preliminary",
    "HZ_GWR2011",
)
ci(
    "330100",
    "杭州市",
    2010,
    "exports_100m_usd",
    353.37,
    "100m USD",
    "bulletin-preliminary",
    "HZ_GWR2011",
)
ci(
    "330100",
    "杭州市",
    2022,
    "exports_100m_cny",
    5141,
    "100m CNY",
    "bulletin-preliminary",
    "HZ_GWR2023",
)
ci(
    "330100",
    "杭州市",
    2016,
    "resident_population_10k",
    918.8,
    "10k persons",
    "bulletin-preliminary",
    "HZ_pop2016",
)
ci(
    "330100",
    "杭州市",
    2018,
    "resident_population_10k",
    980.6,
    "10k persons",
    "bulletin-preliminary",
    "TP_HZ_pop2019",
)
ci(
    "330100",
    "杭州市",
    2019,
    "resident_population_10k",
    1036.0,
    "10k persons",
    "bulletin-preliminary",
    "TP_HZ_pop2019",
)
ci(
    "330100",
    "杭州市",
    2018,
    "registered_population_10k",
    774.1,
    "10k persons",
    "bulletin-preliminary",
    "TP_HZ_pop2019",
)
ci(
    "330100",
    "杭州市",
    2019,
    "registered_population_10k",
    795.4,
    "10k persons",
    "bulletin-preliminary",
    "TP_HZ_pop2019",
)

# --- Ningbo
add("330200", "宁波市", 2007, 3433.08, "bulletin-preliminary", "PD_NB2007")
ci("330200", "宁波市", 2007, "gdp", 3433.08, "100m CNY", "bulletin-preliminary", "PD_NB2007")
ci(
    "330200",
    "宁波市",
    2007,
    "registered_population_10k",
    564.6,
    "10k persons",
    "bulletin-preliminary",
    "PD_NB2007",
)
add(
    "330200",
    "宁波市",
    2009,
    4329.3,
    "yearbook",
    "ZJOL_NB2009",
    "stated Nov 2010, i.e. after the preliminary 2009 release; taken as the verified figure (the page does not name the vintage)",
)
ci("330200", "宁波市", 2009, "gdp", 4329.3, "100m CNY", "yearbook", "ZJOL_NB2009")
ci(
    "330200",
    "宁波市",
    2010,
    "resident_population_10k",
    760.5689,
    "10k persons",
    "census",
    "NB_census2020",
)
ci(
    "330200",
    "宁波市",
    2020,
    "resident_population_10k",
    940.4283,
    "10k persons",
    "census",
    "NB_census2020",
)
ci(
    "330200",
    "宁波市",
    2023,
    "resident_population_10k",
    969.7,
    "10k persons",
    "bulletin-preliminary",
    "NB_pop2024",
)
ci(
    "330200",
    "宁波市",
    2024,
    "resident_population_10k",
    977.7,
    "10k persons",
    "bulletin-preliminary",
    "NB_pop2024",
)

# --- Counties
for code, name, res, reg in [
    ("330681", "诸暨市", 122.92, 107.07),
    ("330602", "越城区", 113.06, 82.43),
    ("330603", "柯桥区", 112.45, 70.37),
    ("330604", "上虞区", 80.28, 71.04),
    ("330683", "嵊州市", 69.52, 70.3734),
    ("330624", "新昌县", None, 42.65),
]:
    # 新昌 2023 resident (41.17, same value) is already present from BAIKE_xinchang
    if res is not None:
        cty(
            code,
            name,
            2023,
            "resident_population_10k",
            res,
            "10k persons",
            "bulletin-preliminary",
            "SX_GB2023_pop",
        )
    cty(
        code,
        name,
        2023,
        "registered_population_10k",
        reg,
        "10k persons",
        "yearbook",
        "SX_GB2023_pop",
    )
cty("330683", "嵊州市", 2022, "gdp", 711.08, "100m CNY", "bulletin-preliminary", "SZ_GB2022")
cty(
    "330683", "嵊州市", 2022, "real_gdp_growth_pct", 4.1, "pct", "bulletin-preliminary", "SZ_GB2022"
)
cty(
    "330683",
    "嵊州市",
    2022,
    "primary_va_100m_cny",
    44.52,
    "100m CNY",
    "bulletin-preliminary",
    "SZ_GB2022",
)
cty(
    "330683",
    "嵊州市",
    2022,
    "secondary_va_100m_cny",
    330.52,
    "100m CNY",
    "bulletin-preliminary",
    "SZ_GB2022",
)
cty(
    "330683",
    "嵊州市",
    2022,
    "tertiary_va_100m_cny",
    336.03,
    "100m CNY",
    "bulletin-preliminary",
    "SZ_GB2022",
)
cty("330621", "绍兴县", 2009, "gdp", 655.26, "100m CNY", "bulletin-preliminary", "SXX_GWR2010_tr")
cty(
    "330621",
    "绍兴县",
    2009,
    "real_gdp_growth_pct",
    9.8,
    "pct",
    "bulletin-preliminary",
    "SXX_GWR2010_tr",
)
cty(
    "330621",
    "绍兴县",
    2009,
    "rd_spending_share_pct",
    1.8,
    "pct",
    "bulletin-preliminary",
    "SXX_GWR2010_tr",
)
cty("330681", "诸暨市", 2013, "gdp", 900.88, "100m CNY", "bulletin-preliminary", "HRR_zhuji2013")


# ======================================================================================
# Batch 11: Ningbo statistical bulletins (English versions on the Ningbo Bureau of Statistics site),
# Shanghai year reviews / press releases 2001-2010, travel times for Shaoxing-Shanghai/Ningbo.
# ======================================================================================
SOURCES.update(
    {
        "NB_GB2003_en": "Statistics of National Economy and Social Development of Ningbo, 2003 (English version of the bulletin, Ningbo Bureau of Statistics): "
        "GDP 176.99 bn RMB, +15.3%, structure 6.3:56.9:36.8, http://english.nbstats.gov.cn/ShowArticle.aspx?ID=1",
        "NB_GB2004_en": "Statistics of National Economy and Social Development of Ningbo, 2004 (English bulletin): GDP 215.804 bn RMB (+15.5%), VA 12.350/123.021/80.433 bn, "
        "structure 5.7/57.0/37.3, http://english.nbstats.gov.cn/ShowArticle.aspx?ID=2",
        "NB_GB2007_en": "Statistics of Ningbo On The 2007 National Economic and Social Development (English bulletin, Feb 2008): GDP 343.31 bn yuan (+14.8%), "
        "VA primary 15.36 bn, secondary 188.87 bn, industry 171.64 bn, http://english.nbstats.gov.cn/ShowArticle.aspx?ID=329",
        "NB_GB2010_en": "Statistics of Ningbo On The 2010 National Economic and Social Development (English bulletin): GDP 512,582 million yuan (+12.4%), "
        "VA 21,843/284,823/205,916 million, industry 256.96 bn, structure 4.2:55.6:40.2, GDP per capita 68,162 yuan, "
        "http://english.nbstats.gov.cn/ShowArticle.aspx?ID=440",
        "NB_GB2011_en": "Statistical Communiqué of Ningbo on 2011 National Economic and Social Development (English): GDP 601.048 bn yuan (+10.0%), "
        "VA 25.576/333.537/241.935 bn, structure 4.2:55.5:40.3, http://english.nbstats.gov.cn/ShowArticle.aspx?ID=444",
        "NB_GB2012_en": "2012 Statistics Bulletin of National Economy and Social Development of Ningbo (English, 2013-02-04): GDP 652.47 bn (+7.8%), VA 27.0/351.67/273.8 bn, "
        "GDP per capita 85,475 (resident basis); appended to the Ningbo Statistical Yearbook 2013, "
        "http://zjjcmspublic.oss-cn-hangzhou-zwynet-d01-a.internet.cloud.zj.gov.cn/jcms_files/jcms1/web3426/site/nbtjj/tjnj1/2013nbnj/html/gbe.htm "
        "(also http://english.nbstats.gov.cn/ShowArticle.aspx?ID=445)",
        "NB_GB2013_en": "2013 Statistics Bulletin of National Economy and Social Development of Ningbo (English): GDP 712.89 bn (+8.1%), VA 27.64/374.17/311.08 bn, "
        "structure 3.9:52.5:43.6, GDP per capita 93,176, http://english.nbstats.gov.cn/ShowArticle.aspx?ID=446",
        "CNNB_NB2021": "宁波晚报 2022-02-24 '我市2021年国民经济和社会发展统计公报发布': GDP 14594.9亿 (+8.2%), 人均GDP 153922元, 工业增加值 6297.5亿, "
        "http://daily.cnnb.com.cn/nbwb/html/2022-02/24/content_1309186.htm",
        "CD_NB2018": "China Daily government page 'A major coastal city of Zhejiang province' (2021): 2018 regional GDP 1.07 trillion yuan (+7%); 8.202 million permanent residents (2018), "
        "https://govt.chinadaily.com.cn/s/202106/01/WS5b7854a0498e855160e8d852/a-major-coastal-city-of-zhejiang-province.html",
        "CO_SH2002": "China.org.cn Shanghai profile: 'GDP: 540.876 billion yuan (2002). GDP growth rate: 10.9 percent'; industrial added value 231.28 bn, "
        "http://www.china.org.cn/english/features/60814.htm",
        "SD_SH2001": "Shanghai Daily via china.org.cn (Jan 2002) 'Shanghai City GDP up 10.2 Percent last year': 2001 GDP 495 bn yuan, FAI 198.4 bn yuan, "
        "mirror http://ccgp-fushun.com/english/government/26666.htm",
        "CO_SH2004": "China.org.cn 'Shanghai 2004 - The Year in Review': GDP 745.027 bn yuan (+13.6%), FAI 308.466 bn, industrial VA 349.289 bn, "
        "http://www.china.org.cn/english/features/ProvinceView/156524.htm",
        "XH_SH2004rev": "Xinhua via People's Daily Online 2005-12-27 'Shanghai unveils revised major economic indicators' (1st economic census, confirmed by NBS): 2004 GDP 807.28 bn yuan; "
        "secondary 389.2 bn, tertiary 409.7 bn; shares 1.0/48.2/50.8 %, http://en.people.cn/200512/27/print20051227_231176.html",
        "CO_SH2005": "China.org.cn 'Shanghai 2005 - The Year in Review': GDP 915.418 bn yuan (+11.1%), VA 8.034/445.292/462.092 bn, tertiary 50.2%, FAI 354.255 bn, "
        "industrial VA 415.523 bn, http://www.china.org.cn/english/features/ProvinceView/203467.htm",
        "PISHU_SH2006": "上海蓝皮书 (Social Sciences Academic Press, pishu.com.cn) on the 2006 Shanghai economy: '实现生产总值10296.97亿元,按可比价格计算,比上年增长12%'; "
        "FAI 3925.09亿, http://www.pishu.com.cn/skwx_ps/ps/literature?ID=7460083&SiteID=14",
        "CDR_SH2007": "China Daily regional-channel profile of Shanghai (mirror): '2007年上海市生产总值(GDP)12001.16亿元…常住人口达到1858万', "
        "http://healinghandsltd.com/dfpd/sh/2011-07/05/content_12837868.htm (mirror)",
        "SD_SH2008": "Shanghai Daily 'Global woes pinch rise in city GDP' (Jan 2009): 2008 GDP 1.37 trillion yuan, +9.7% (2007: +13.3%); services 735 bn; industry 623.6 bn, "
        "https://archive.shine.cn/business/economy/Global-woes-pinch-rise-in-city-GDP/shdaily.shtml",
        "SD_SH2009": "Shanghai Daily 2010-01-22 'Shanghai posts 8.2% growth in GDP': 2009 GDP 1.49 trillion yuan; services 59.4% of output, reproduced at "
        "http://www.expo2010china.hu/index.phtml?module=hir&ID=1065",
        "SD_SH2010": "Shanghai Daily 'Shanghai GDP rises 9.9% last year, beating target' (Jan 2011): 2010 GDP 1.687 trillion yuan, "
        "https://archive.shine.cn/business/economy/Shanghai-GDP-rises-99-last-year-beating-target/shdaily.shtml",
        "HZ_2023_en": "hangzhou.com.cn 2024-01-25 'Hangzhou sees GDP growth of 5.6 pct in 2023': services value added 1,404.5 bn yuan (GDP only stated as 'surpass 2 trillion'), "
        "https://en.hangzhou.com.cn/News/content/2024-01/25/content_8680237.html",
        "FDKG_HZ2011": "Luxury Insights China 'Hangzhou city report': 'At the end of 2011, the population of long-term residents in the city was 8.738 million', "
        "http://www.fdkginsight.com/hangzhou-city-report/ (secondary)",
        "SX_GWR2026_RD": "NetEase reproduction of a report on the 2026 Shaoxing government work report: '过去五年,绍兴市研发投入强度从2.87%提高到3.35%' (the starting value refers to 2020, "
        "the base year of the 14th five-year plan), https://m.163.com/dy/article/KJSH1H6M05500EJB.html (secondary)",
        "YC_GB2022": "2022年越城区国民经济和社会发展统计公报 (越城区统计局, 2023-04-14): GDP 1271.04亿 (+4.0%), VA 17.48/547.38/706.18亿; GDP from 2021 on the new "
        "boundary (ten streets/towns), http://www.sxyc.gov.cn/art/2023/4/14/art_1229446087_4016516.html",
        "BLOG_sx_sh": "Personal travel blog 'Trains' (2015-05-05): Shaoxing to Shanghai 'the bullet train trimmed it down to one hour and twenty minutes', "
        "https://wazicki.blogspot.com/2015/05/trains.html (secondary, low trust)",
        "NBLT_nbsx2019": "Report reproduced on nbluteng.com (2019-07-11) 'New inter-city rail to promote integrated development of Ningbo, Shaoxing': Ningbo station to Shaoxing station "
        "'about 1 hr 20 min'; 'high speed rail is 50 min faster', http://www.nbluteng.com/info/nbnews190711-i00080i1.html (secondary)",
        "HZNET_sy2013": "杭州网 2013-06-18 '坐高铁去上虞采摘水果吧' (reproduced): '杭甬高铁开通后,杭州直达上虞仅需要35分钟' (announced before opening), "
        "http://95105105.com/news/2013/0618/10253.html (reproduction)",
        "CD_hzsxnb2023": "China Daily via ehangzhou.gov.cn 2023-08-01 'Intercity train connecting Ningbo, Hangzhou starts operation': 147 km, 'total travel time of approximately 2 hours', "
        "https://www.ehangzhou.gov.cn/2023-08/01/c_286008.htm",
    }
)

# --- Ningbo bulletins
for y, v, src, note in [
    (2010, 5125.82, "NB_GB2010_en", "512,582 million yuan"),
    (2011, 6010.48, "NB_GB2011_en", "601.048 bn yuan"),
    (2012, 6524.7, "NB_GB2012_en", "652.47 bn"),
    (2021, 14594.9, "CNNB_NB2021", ""),
    (2018, 10700, "CD_NB2018", "published rounded: 1.07 trillion yuan"),
]:
    add("330200", "宁波市", y, v, "bulletin-preliminary", src, note)
    ci("330200", "宁波市", y, "gdp", v, "100m CNY", "bulletin-preliminary", src)
for y, g, src in [
    (2003, 15.3, "NB_GB2003_en"),
    (2004, 15.5, "NB_GB2004_en"),
    (2007, 14.8, "NB_GB2007_en"),
    (2010, 12.4, "NB_GB2010_en"),
    (2011, 10.0, "NB_GB2011_en"),
    (2012, 7.8, "NB_GB2012_en"),
    (2021, 8.2, "CNNB_NB2021"),
    (2018, 7.0, "CD_NB2018"),
]:
    ci("330200", "宁波市", y, "real_gdp_growth_pct", g, "pct", "bulletin-preliminary", src)
for y, sh, src in [
    (2003, (6.3, 56.9, 36.8), "NB_GB2003_en"),
    (2004, (5.7, 57.0, 37.3), "NB_GB2004_en"),
    (2010, (4.2, 55.6, 40.2), "NB_GB2010_en"),
    (2011, (4.2, 55.5, 40.3), "NB_GB2011_en"),
    (2013, (3.9, 52.5, 43.6), "NB_GB2013_en"),
]:
    ci("330200", "宁波市", y, "primary_share_pct", sh[0], "pct", "bulletin-preliminary", src)
    ci("330200", "宁波市", y, "secondary_share_pct", sh[1], "pct", "bulletin-preliminary", src)
    ci("330200", "宁波市", y, "tertiary_share_pct", sh[2], "pct", "bulletin-preliminary", src)
for y, p_, s_, t_, src in [
    (2010, 218.43, 2848.23, 2059.16, "NB_GB2010_en"),
    (2011, 255.76, 3335.37, 2419.35, "NB_GB2011_en"),
    (2012, 270.0, 3516.7, 2738.0, "NB_GB2012_en"),
    (2013, 276.4, 3741.7, 3110.8, "NB_GB2013_en"),
]:
    ci("330200", "宁波市", y, "primary_va_100m_cny", p_, "100m CNY", "bulletin-preliminary", src)
    ci("330200", "宁波市", y, "secondary_va_100m_cny", s_, "100m CNY", "bulletin-preliminary", src)
    ci("330200", "宁波市", y, "tertiary_va_100m_cny", t_, "100m CNY", "bulletin-preliminary", src)
ci(
    "330200",
    "宁波市",
    2007,
    "primary_va_100m_cny",
    153.6,
    "100m CNY",
    "bulletin-preliminary",
    "NB_GB2007_en",
)
ci(
    "330200",
    "宁波市",
    2007,
    "secondary_va_100m_cny",
    1888.7,
    "100m CNY",
    "bulletin-preliminary",
    "NB_GB2007_en",
)
ci(
    "330200",
    "宁波市",
    2007,
    "industrial_va_100m_cny",
    1716.4,
    "100m CNY",
    "bulletin-preliminary",
    "NB_GB2007_en",
)
ci(
    "330200",
    "宁波市",
    2010,
    "industrial_va_100m_cny",
    2569.6,
    "100m CNY",
    "bulletin-preliminary",
    "NB_GB2010_en",
)
ci(
    "330200",
    "宁波市",
    2021,
    "industrial_va_100m_cny",
    6297.5,
    "100m CNY",
    "bulletin-preliminary",
    "CNNB_NB2021",
)
ci(
    "330200",
    "宁波市",
    2010,
    "gdp_per_capita_cny",
    68162,
    "CNY",
    "bulletin-preliminary",
    "NB_GB2010_en",
)
ci(
    "330200",
    "宁波市",
    2012,
    "gdp_per_capita_cny",
    85475,
    "CNY (resident population basis)",
    "bulletin-preliminary",
    "NB_GB2012_en",
)
ci(
    "330200",
    "宁波市",
    2013,
    "gdp_per_capita_cny",
    93176,
    "CNY (resident population basis)",
    "bulletin-preliminary",
    "NB_GB2013_en",
)
ci(
    "330200",
    "宁波市",
    2021,
    "gdp_per_capita_cny",
    153922,
    "CNY",
    "bulletin-preliminary",
    "CNNB_NB2021",
)
ci(
    "330200",
    "宁波市",
    2018,
    "resident_population_10k",
    820.2,
    "10k persons",
    "bulletin-preliminary",
    "CD_NB2018",
)

# --- Shanghai
# 2006: the Shanghai blue-book figure (2 decimals) replaces the rounded secondary value
CITY_GDP[:] = [r for r in CITY_GDP if not (r[0] == "310000" and r[2] == 2006)]
CORRIDOR[:] = [
    r
    for r in CORRIDOR
    if not (
        r[0] == "310000" and r[2] == 2006 and r[3] in ("gdp", "fixed_asset_investment_100m_cny")
    )
]
# 2010: the Shanghai Daily figure (1.687 trillion) replaces the coarser 1.69 trillion
CITY_GDP[:] = [r for r in CITY_GDP if not (r[0] == "310000" and r[2] == 2010)]
CORRIDOR[:] = [r for r in CORRIDOR if not (r[0] == "310000" and r[2] == 2010 and r[3] == "gdp")]
for y, v, vint, src, note in [
    (2001, 4950, "bulletin-preliminary", "SD_SH2001", "published rounded: 495 bn yuan"),
    (2002, 5408.76, "bulletin-preliminary", "CO_SH2002", "540.876 bn yuan"),
    (
        2004,
        8072.8,
        "census-revised",
        "XH_SH2004rev",
        "807.28 bn yuan, revised after the 1st economic census (preliminary 745.027 bn)",
    ),
    (2005, 9154.18, "bulletin-preliminary", "CO_SH2005", "915.418 bn yuan"),
    (2006, 10296.97, "bulletin-preliminary", "PISHU_SH2006", ""),
    (2007, 12001.16, "bulletin-preliminary", "CDR_SH2007", "mirror of a China Daily regional page"),
    (2008, 13700, "bulletin-preliminary", "SD_SH2008", "published rounded: 1.37 trillion yuan"),
    (2009, 14900, "bulletin-preliminary", "SD_SH2009", "published rounded: 1.49 trillion yuan"),
    (2010, 16870, "bulletin-preliminary", "SD_SH2010", "published rounded: 1.687 trillion yuan"),
]:
    add("310000", "上海市", y, v, vint, src, note)
    ci("310000", "上海市", y, "gdp", v, "100m CNY", vint, src)
for y, g, src in [
    (2001, 10.2, "SD_SH2001"),
    (2002, 10.9, "CO_SH2002"),
    (2004, 13.6, "CO_SH2004"),
    (2005, 11.1, "CO_SH2005"),
    (2007, 13.3, "SD_SH2008"),
    (2008, 9.7, "SD_SH2008"),
    (2009, 8.2, "SD_SH2009"),
]:
    ci("310000", "上海市", y, "real_gdp_growth_pct", g, "pct", "bulletin-preliminary", src)
ci(
    "310000",
    "上海市",
    2001,
    "fixed_asset_investment_100m_cny",
    1984,
    "100m CNY",
    "bulletin-preliminary",
    "SD_SH2001",
)
ci(
    "310000",
    "上海市",
    2002,
    "industrial_va_100m_cny",
    2312.8,
    "100m CNY",
    "bulletin-preliminary",
    "CO_SH2002",
)
ci(
    "310000",
    "上海市",
    2004,
    "secondary_va_100m_cny",
    3892,
    "100m CNY",
    "census-revised",
    "XH_SH2004rev",
)
ci(
    "310000",
    "上海市",
    2004,
    "tertiary_va_100m_cny",
    4097,
    "100m CNY",
    "census-revised",
    "XH_SH2004rev",
)
ci("310000", "上海市", 2004, "primary_share_pct", 1.0, "pct", "census-revised", "XH_SH2004rev")
ci("310000", "上海市", 2004, "secondary_share_pct", 48.2, "pct", "census-revised", "XH_SH2004rev")
ci("310000", "上海市", 2004, "tertiary_share_pct", 50.8, "pct", "census-revised", "XH_SH2004rev")
ci(
    "310000",
    "上海市",
    2004,
    "fixed_asset_investment_100m_cny",
    3084.66,
    "100m CNY",
    "bulletin-preliminary",
    "CO_SH2004",
)
ci(
    "310000",
    "上海市",
    2004,
    "industrial_va_100m_cny",
    3492.89,
    "100m CNY",
    "bulletin-preliminary",
    "CO_SH2004",
)
ci(
    "310000",
    "上海市",
    2005,
    "primary_va_100m_cny",
    80.34,
    "100m CNY",
    "bulletin-preliminary",
    "CO_SH2005",
)
ci(
    "310000",
    "上海市",
    2005,
    "secondary_va_100m_cny",
    4452.92,
    "100m CNY",
    "bulletin-preliminary",
    "CO_SH2005",
)
ci(
    "310000",
    "上海市",
    2005,
    "tertiary_va_100m_cny",
    4620.92,
    "100m CNY",
    "bulletin-preliminary",
    "CO_SH2005",
)
ci("310000", "上海市", 2005, "tertiary_share_pct", 50.2, "pct", "bulletin-preliminary", "CO_SH2005")
ci(
    "310000",
    "上海市",
    2005,
    "fixed_asset_investment_100m_cny",
    3542.55,
    "100m CNY",
    "bulletin-preliminary",
    "CO_SH2005",
)
ci(
    "310000",
    "上海市",
    2005,
    "industrial_va_100m_cny",
    4155.23,
    "100m CNY",
    "bulletin-preliminary",
    "CO_SH2005",
)
ci(
    "310000",
    "上海市",
    2006,
    "fixed_asset_investment_100m_cny",
    3925.09,
    "100m CNY",
    "bulletin-preliminary",
    "PISHU_SH2006",
)
ci(
    "310000",
    "上海市",
    2007,
    "resident_population_10k",
    1858,
    "10k persons",
    "bulletin-preliminary",
    "CDR_SH2007",
)
ci(
    "310000",
    "上海市",
    2008,
    "tertiary_va_100m_cny",
    7350,
    "100m CNY",
    "bulletin-preliminary",
    "SD_SH2008",
)
ci(
    "310000",
    "上海市",
    2008,
    "industrial_va_100m_cny",
    6236,
    "100m CNY",
    "bulletin-preliminary",
    "SD_SH2008",
)
ci("310000", "上海市", 2009, "tertiary_share_pct", 59.4, "pct", "bulletin-preliminary", "SD_SH2009")

# --- Hangzhou / Shaoxing extras
ci(
    "330100",
    "杭州市",
    2023,
    "real_gdp_growth_pct",
    5.6,
    "pct",
    "bulletin-preliminary",
    "HZ_2023_en",
)
ci(
    "330100",
    "杭州市",
    2023,
    "tertiary_va_100m_cny",
    14045,
    "100m CNY",
    "bulletin-preliminary",
    "HZ_2023_en",
)
ci(
    "330100",
    "杭州市",
    2011,
    "resident_population_10k",
    873.8,
    "10k persons",
    "bulletin-preliminary",
    "FDKG_HZ2011",
)
ci(
    "330600",
    "绍兴市",
    2020,
    "rd_spending_share_pct",
    2.87,
    "pct",
    "bulletin-preliminary",
    "SX_GWR2026_RD",
)

# --- County: Yuecheng 2022
cty("330602", "越城区", 2022, "gdp", 1271.04, "100m CNY", "bulletin-preliminary", "YC_GB2022")
cty(
    "330602", "越城区", 2022, "real_gdp_growth_pct", 4.0, "pct", "bulletin-preliminary", "YC_GB2022"
)
cty(
    "330602",
    "越城区",
    2022,
    "primary_va_100m_cny",
    17.48,
    "100m CNY",
    "bulletin-preliminary",
    "YC_GB2022",
)
cty(
    "330602",
    "越城区",
    2022,
    "secondary_va_100m_cny",
    547.38,
    "100m CNY",
    "bulletin-preliminary",
    "YC_GB2022",
)
cty(
    "330602",
    "越城区",
    2022,
    "tertiary_va_100m_cny",
    706.18,
    "100m CNY",
    "bulletin-preliminary",
    "YC_GB2022",
)

# --- Travel times (only as stated by the pages)
TRAVEL.append(
    (
        "yuecheng",
        "shanghai",
        "rail",
        80,
        2015,
        "BLOG_sx_sh",
        "Shaoxing to Shanghai by bullet train 'one hour and twenty minutes' (personal travel blog, low trust)",
    )
)
TRAVEL.append(
    (
        "yuecheng",
        "shanghai",
        "road",
        90,
        2010,
        "HKTDC_SX2010",
        "Shanghai Pudong and Hongqiao airports 'within 1.5 hours' drive' of Shaoxing (upper bound; to the airports, not the city centre)",
    )
)
TRAVEL.append(
    (
        "yuecheng",
        "ningbo",
        "road",
        60,
        2010,
        "HKTDC_SX2010",
        "Ningbo Lishe (and Hangzhou Xiaoshan) international airports 'within 1 hour's drive' of Shaoxing (upper bound; to the airport)",
    )
)
TRAVEL.append(
    (
        "ningbo",
        "yuecheng",
        "rail",
        80,
        2019,
        "NBLT_nbsx2019",
        "Ningbo-Shaoxing intercity service on the conventional line, Ningbo station to Shaoxing station 'about 1 hr 20 min' (the page adds that HSR is '50 min faster'; "
        "no separate HSR row is written because the page gives no HSR time itself)",
    )
)
TRAVEL.append(
    (
        "hangzhou",
        "shangyu",
        "rail",
        35,
        2013,
        "HZNET_sy2013",
        "Hangzhou (East) to Shangyu by the Hangzhou-Ningbo HSR '仅需要35分钟', announced before the June 2013 opening",
    )
)
TRAVEL.append(
    (
        "ningbo",
        "hangzhou",
        "rail",
        120,
        2023,
        "CD_hzsxnb2023",
        "Ningbo-Shaoxing-Hangzhou intercity train (Ningbo station to Hangzhou South, 147 km), 'approximately 2 hours'",
    )
)


# ======================================================================================
# Batch 12: Hangzhou 2001/2007, R&D intensity (Ningbo 2014, Hangzhou 2021)
# ======================================================================================
SOURCES.update(
    {
        "PD_HZ2001": "People's Daily Online 2002-02-19 (Hangzhou statistics bureau): 'Its GDP amounted to 156.8 billion yuan in 2001', "
        "http://en.people.cn/200202/19/eng20020219_90577.shtml",
        "ZJOL_HZ2007": "Zhejiang Online 2008-10-14 on the Hangzhou Bureau of Statistics quality-of-life report: '2007年杭州实现GDP4100.87亿元,比上年增长14.6%', "
        "http://zjnews.zjol.com.cn/05zjnews/system/2008/10/14/010023440.shtml",
        "SOULUN_NB_RD2014": "Journal-article abstract on soulun.net: '2014年,宁波全社会R&D经费投入强度达到2.35%', "
        "https://www.soulun.net/periodical/d1f07ac6563a8d4d12be7049040165ec.html (secondary)",
        "HZCN_RD2021": "hangzhou.com.cn 2022-09-21 'Hangzhou tops Zhejiang in R&D investment in 2021' (Daily Business): R&D outlay 66.7 bn yuan, intensity 3.68%, "
        "https://en.hangzhou.com.cn/News/content/2022-09/21/content_8358608.html",
    }
)
add(
    "330100",
    "杭州市",
    2001,
    1568,
    "bulletin-preliminary",
    "PD_HZ2001",
    "published rounded: 156.8 bn yuan",
)
ci("330100", "杭州市", 2001, "gdp", 1568, "100m CNY", "bulletin-preliminary", "PD_HZ2001")
add(
    "330100",
    "杭州市",
    2007,
    4100.87,
    "yearbook",
    "ZJOL_HZ2007",
    "stated Oct 2008 by the Hangzhou statistics bureau, i.e. after the preliminary release; taken as the verified figure (vintage not named)",
)
ci("330100", "杭州市", 2007, "gdp", 4100.87, "100m CNY", "yearbook", "ZJOL_HZ2007")
ci("330100", "杭州市", 2007, "real_gdp_growth_pct", 14.6, "pct", "yearbook", "ZJOL_HZ2007")
ci(
    "330200",
    "宁波市",
    2014,
    "rd_spending_share_pct",
    2.35,
    "pct",
    "bulletin-preliminary",
    "SOULUN_NB_RD2014",
)
ci("330100", "杭州市", 2021, "rd_spending_share_pct", 3.68, "pct", "yearbook", "HZCN_RD2021")


# ======================================================================================
# Batch 13: Ningbo 2024 bulletin (with the 5th-economic-census revision of 2023)
# ======================================================================================
SOURCES.update(
    {
        "NB_GB2024": "2024年宁波市国民经济和社会发展统计公报 (宁波市统计局, 国家统计局宁波调查队, 2025-03-20), reproduced by Ningbo Radio & TV: GDP 18147.7亿 (+5.4%), "
        "VA 451.1/7882.7/9813.9亿, structure 2.5:43.4:54.1, GDP per capita 186379元; '根据第五次全国经济普查结果…2023年全市地区生产总值修订为17146.6亿元, "
        "三次产业结构为2.5:43.9:53.6'; registered population 624.4万, https://web.ncmc.nbtv.cn/cms/nbdst/xwdsg/nb/40256395.shtml",
    }
)
add("330200", "宁波市", 2024, 18147.7, "bulletin-preliminary", "NB_GB2024")
add(
    "330200",
    "宁波市",
    2023,
    17146.6,
    "census-revised",
    "NB_GB2024",
    "2023 revised after the 5th economic census (2023), stated in the 2024 bulletin",
)
ci("330200", "宁波市", 2024, "gdp", 18147.7, "100m CNY", "bulletin-preliminary", "NB_GB2024")
ci("330200", "宁波市", 2024, "real_gdp_growth_pct", 5.4, "pct", "bulletin-preliminary", "NB_GB2024")
ci(
    "330200",
    "宁波市",
    2024,
    "primary_va_100m_cny",
    451.1,
    "100m CNY",
    "bulletin-preliminary",
    "NB_GB2024",
)
ci(
    "330200",
    "宁波市",
    2024,
    "secondary_va_100m_cny",
    7882.7,
    "100m CNY",
    "bulletin-preliminary",
    "NB_GB2024",
)
ci(
    "330200",
    "宁波市",
    2024,
    "tertiary_va_100m_cny",
    9813.9,
    "100m CNY",
    "bulletin-preliminary",
    "NB_GB2024",
)
ci("330200", "宁波市", 2024, "primary_share_pct", 2.5, "pct", "bulletin-preliminary", "NB_GB2024")
ci(
    "330200",
    "宁波市",
    2024,
    "secondary_share_pct",
    43.4,
    "pct",
    "bulletin-preliminary",
    "NB_GB2024",
)
ci("330200", "宁波市", 2024, "tertiary_share_pct", 54.1, "pct", "bulletin-preliminary", "NB_GB2024")
ci(
    "330200",
    "宁波市",
    2024,
    "gdp_per_capita_cny",
    186379,
    "CNY (resident population basis)",
    "bulletin-preliminary",
    "NB_GB2024",
)
ci(
    "330200",
    "宁波市",
    2024,
    "registered_population_10k",
    624.4,
    "10k persons",
    "bulletin-preliminary",
    "NB_GB2024",
)
ci("330200", "宁波市", 2023, "gdp", 17146.6, "100m CNY", "census-revised", "NB_GB2024")
ci("330200", "宁波市", 2023, "primary_share_pct", 2.5, "pct", "census-revised", "NB_GB2024")
ci("330200", "宁波市", 2023, "secondary_share_pct", 43.9, "pct", "census-revised", "NB_GB2024")
ci("330200", "宁波市", 2023, "tertiary_share_pct", 53.6, "pct", "census-revised", "NB_GB2024")


# --------------------------------------------------------------------------------------
# Primary-sector share and real GDP growth of the four corridor cities, 2000-2021, from the
# China City Statistical Yearbook as compiled by CSMAR (table CRE_Gdpct). They carry the
# non-modelled part of GDP (agriculture, forestry, animal husbandry and fishery: docs/model.md
# §5.10): its base-year share and its trend (growthpole/inputs.py nonmodelled_component).
# Transcribed value by value (2026-12-04) from the project machines' copy of the export; a
# year the export leaves empty (2017 and 2021 for the Zhejiang cities, 2001 and 2017 for their
# growth) stays absent. A (city, year, indicator) already transcribed above from a bulletin
# keeps the bulletin's figure (one row per key); the yearbook rows only add missing years.
# --------------------------------------------------------------------------------------
CSMAR_EXPORT = (
    "GitHub eileenCHEN-9/PhD_2022_2025, data/raw_data/statistics/CRE_Gdpct.csv, "
    "commit f20bcc5e60189da7c99eb185c8b981f116b07af9 (blob 11b3684f)"
)
# one row per city: the transcribed values stay as compact as the export's rows
# fmt: off
YEARBOOK_SERIES = {
    "primary_share_pct": (
        "pct",
        "第一产业增加值占GDP比重 (share of the primary sector in GDP, %), 全市",
        [
            ("330600", "绍兴市", [(2000, 10), (2001, 9.78), (2002, 8.63), (2003, 7.57), (2004, 7.02), (2005, 6.43), (2006, 5.8), (2007, 5.33), (2008, 5.25), (2009, 5.24), (2010, 5.35), (2011, 5.16), (2012, 5.06), (2013, 4.87), (2014, 4.55), (2015, 4.45), (2016, 4.34), (2018, 3.62), (2019, 3.6), (2020, 3.65)]),
            ("330100", "杭州市", [(2000, 7.5), (2001, 7.11), (2002, 6.43), (2003, 6.03), (2004, 5.53), (2005, 5.04), (2006, 4.5), (2007, 3.99), (2008, 3.74), (2009, 3.74), (2010, 3.5), (2011, 3.37), (2012, 3.27), (2013, 3.18), (2014, 2.98), (2015, 2.87), (2016, 2.69), (2018, 2.26), (2019, 2.12), (2020, 2.02)]),
            ("330200", "宁波市", [(2000, 8.1), (2001, 7.64), (2002, 7.05), (2003, 6.28), (2004, 5.72), (2005, 5.4), (2006, 4.85), (2007, 4.4), (2008, 4.22), (2009, 4.24), (2010, 4.24), (2011, 4.21), (2012, 4.08), (2013, 3.88), (2014, 3.62), (2015, 3.56), (2016, 3.48), (2018, 2.85), (2019, 2.69), (2020, 2.73)]),
            ("310000", "上海市", [(2000, 1.6), (2001, 1.5), (2002, 1.3), (2003, 1.2), (2004, 1), (2005, 1), (2006, 0.9), (2007, 0.8), (2008, 0.7), (2009, 0.7), (2010, 0.6), (2011, 0.6), (2012, 0.6), (2013, 0.6), (2014, 0.5), (2015, 0.4), (2016, 0.4), (2017, 0.4), (2018, 0.3), (2019, 0.3), (2020, 0.3), (2021, 0.2)]),
        ],
    ),
    "real_gdp_growth_pct": (
        "pct",
        "地区生产总值增长率 (real GDP growth at comparable prices, %), 全市",
        [
            ("330600", "绍兴市", [(2000, 11.6), (2002, 13.8), (2003, 15), (2004, 15.3), (2005, 13.7), (2006, 13.2), (2007, 14.3), (2008, 9), (2009, 9.3), (2010, 11), (2011, 10.53), (2012, 9.75), (2013, 8.57), (2014, 7.5), (2015, 7.13), (2016, 5.52), (2018, 7.09), (2019, 7.16), (2020, 3.26)]),
            ("330100", "杭州市", [(2000, 12), (2002, 13), (2003, 15.2), (2004, 15), (2005, 13), (2006, 14.3), (2007, 14.6), (2008, 11), (2009, 10), (2010, 12), (2011, 10.1), (2012, 9), (2013, 6.94), (2014, 8.16), (2015, 10.15), (2016, 9.6), (2018, 6.72), (2019, 6.75), (2020, 3.9)]),
            ("330200", "宁波市", [(2000, 8.9), (2002, 13.2), (2003, 15.6), (2004, 15.5), (2005, 12.6), (2006, 13.6), (2007, 14.9), (2008, 10.12), (2009, 6.7), (2010, 12.5), (2011, 10), (2012, 7.8), (2013, 8.31), (2014, 7.6), (2015, 8), (2016, 7.1), (2018, 7), (2019, 6.8), (2020, 3.3)]),
            ("310000", "上海市", [(2000, 11), (2001, 10.5), (2002, 11.4), (2003, 12.3), (2004, 13.3), (2005, 11.5), (2006, 12.8), (2007, 15.2), (2008, 9.7), (2009, 8.4), (2010, 10.2), (2011, 8.3), (2012, 7.5), (2013, 7.9), (2014, 7.1), (2015, 7), (2016, 6.9), (2017, 7), (2018, 6.8), (2019, 6), (2020, 1.7), (2021, 8.1)]),
        ],
    ),
}
# fmt: on
_present = {(r[0], r[2], r[3]) for r in CORRIDOR}
for _indicator, (_unit, _field, _cities) in YEARBOOK_SERIES.items():
    for _code, _name, _values in _cities:
        for _year, _value in _values:
            if (_code, _year, _indicator) in _present:
                continue
            _source = f"CCSY_CSMAR_{_indicator}_{_year}"
            SOURCES[_source] = (
                f"China City Statistical Yearbook (中国城市统计年鉴), {_field} of {_year}, "
                f"in the edition compiled by CSMAR China Regional Economy table CRE_Gdpct; "
                f"export: {CSMAR_EXPORT}"
            )
            ci(_code, _name, _year, _indicator, _value, _unit, "yearbook", _source)


# --------------------------------------------------------------------------------------
# City GDP 2022-2024 from the cities' bulletins and news (data/transcriptions/city_gdp_2022_2024.csv)
# --------------------------------------------------------------------------------------
# The transcription file holds every candidate seen (several per city-year at times), each with
# its publication, the address where it was read, a verbatim quote and a trust grade (high: the
# bulletin or a government page or an exact mirror; medium: mainstream news quoting the statistics
# bureau; low: aggregators, encyclopedia copies, parsed third-party datasets). One row per
# (city, year, vintage) enters city_gdp.csv, chosen by these rules, in order:
#   1. excluded: AI-generated pages and estimates ("预计"), which are not published statistics;
#   2. a row already transcribed above for the same (city, year, vintage) is kept;
#   3. otherwise the highest trust; among equals the most precise figure (most decimals), then the
#      first seen. A candidate that differs from the chosen one by more than 1% is named in the row.
TRUST_ORDER = {"high": 0, "medium": 1, "low": 2}


def _decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


def bulletin_rows_2022_2024(existing_keys):
    path = os.path.join(HERE, "transcriptions", "city_gdp_2022_2024.csv")
    with open(path, encoding="utf-8") as f:
        candidates = list(csv.DictReader(f))
    groups = {}
    for r in candidates:
        if "AI-generated" in r["note"] or "预计" in r["quote"] or r["note"].startswith("ESTIMATE"):
            continue
        groups.setdefault((r["city_code"], int(r["year"]), r["vintage"]), []).append(r)
    rows = []
    for (code, year, vintage), group in sorted(groups.items()):
        if (code, year, vintage) in existing_keys:
            continue
        group = sorted(
            group, key=lambda r: (TRUST_ORDER[r["trust"]], -_decimals(r["gdp_100m_cny"]))
        )
        chosen = group[0]
        value = float(chosen["gdp_100m_cny"])
        others = sorted(
            {
                f"{r['gdp_100m_cny']} ({r['trust']}, {r['url']})"
                for r in group[1:]
                if abs(float(r["gdp_100m_cny"]) / value - 1) > 0.01
            }
        )
        source = (
            f"{chosen['publication']}, {chosen['url']} [trust {chosen['trust']}; quote: "
            f"{chosen['quote']}]"
            + (f" [{chosen['note']}]" if chosen["note"] else "")
            + (f" [differs by >1% from: {'; '.join(others)}]" if others else "")
            + f" [read via {chosen['read_in']}]"
        )
        rows.append([code, chosen["city_zh"], str(year), chosen["gdp_100m_cny"], vintage, source])
    return rows


# --------------------------------------------------------------------------------------
# writers
# --------------------------------------------------------------------------------------


def write(path, header, rows):
    with open(os.path.join(HERE, path), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def main():
    # city_gdp.csv holds two kinds of rows: the yearbook figures of 2000-2021 for the national
    # top-60 union (written by data/build_city_panel.py, kept here as they are) and the hand
    # transcriptions above. A hand row of vintage 'yearbook' for a (city, year) that the
    # yearbook panel already holds is the same figure from another printing (e.g. the Zhejiang
    # yearbook); it is left out of city_gdp.csv (the key is city, year, vintage) and its
    # agreement with the national yearbook figure is reported.
    import build_city_panel

    existing = {}
    path = os.path.join(HERE, "city_gdp.csv")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if build_city_panel.is_yearbook_export_row(list(r.values())):
                    existing[(r["city_code"], int(r["year"]))] = float(r["gdp_100m_cny"])
    rows, skipped = [], []
    for code, name, y, v, vint, src, note in sorted(CITY_GDP, key=lambda r: (r[0], r[2])):
        if vint == "yearbook" and (code, y) in existing:
            skipped.append(float(v) / existing[(code, y)] - 1)
            continue
        s = SOURCES[src] + (f" [{note}]" if note else "")
        rows.append([code, name, str(y), str(v), vint, s])
    rows += bulletin_rows_2022_2024({(r[0], int(r[2]), r[4]) for r in rows})
    build_city_panel.merge_into_city_gdp(
        rows, owned=lambda r: not build_city_panel.is_yearbook_export_row(r)
    )
    if skipped:
        print(
            f"city_gdp.csv: {len(skipped)} hand-transcribed yearbook rows duplicate the national "
            f"yearbook panel (largest relative difference {max(map(abs, skipped)):.2%}); left out"
        )

    rows = []
    for code, name, y, ind, v, unit, vint, src in sorted(
        CORRIDOR, key=lambda r: (r[0], r[3], r[2], r[6])
    ):
        rows.append((code, name, y, ind, v, unit, vint, SOURCES[src]))
    write(
        "corridor_indicators.csv",
        ["city_code", "city", "year", "indicator", "value", "unit", "vintage", "source"],
        rows,
    )

    rows = []
    for code, name, y, ind, v, unit, vint, src in sorted(COUNTY, key=lambda r: (r[0], r[3], r[2])):
        rows.append((code, name, y, ind, v, unit, vint, SOURCES[src]))
    write(
        "county_gdp.csv",
        ["region_code", "region", "year", "indicator", "value", "unit", "vintage", "source"],
        rows,
    )

    rows = []
    for rid, zh, en, code, parent, lat, lon, area, srcs in REGIONS:
        rows.append(
            (
                rid,
                zh,
                en,
                code,
                parent,
                lat,
                lon,
                "" if area is None else area,
                " | ".join(SOURCES[x] for x in srcs),
            )
        )
    write(
        "regions.csv",
        [
            "region_id",
            "name_zh",
            "name_en",
            "admin_code",
            "parent_city_code",
            "latitude",
            "longitude",
            "land_area_km2",
            "source",
        ],
        rows,
    )

    rows = []
    for o, d, mode, mins, y, src, note in TRAVEL:
        rows.append((o, d, mode, mins, y, SOURCES[src] + " [" + note + "]"))
    write("travel_times.csv", ["origin", "destination", "mode", "minutes", "year", "source"], rows)

    rows = []
    for pid, zh, en, rid, area, yr, sec, kind, srcs, note in PLATFORMS:
        src = " | ".join(SOURCES[x] for x in srcs) + (f" [{note}]" if note else "")
        rows.append(
            (
                pid,
                zh,
                en,
                rid,
                "" if area is None else area,
                "" if yr is None else yr,
                sec,
                kind,
                src,
            )
        )
    write(
        "platforms.csv",
        [
            "platform_id",
            "name_zh",
            "name_en",
            "region_id",
            "area_km2",
            "opening_year",
            "sector_focus",
            "kind",
            "source",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
