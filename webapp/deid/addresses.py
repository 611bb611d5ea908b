"""Addresses that go below the street: house number, building, unit, room, 组.

An address is read as a chain of administrative and local parts, in order:
province, city, county/district, township/street office, village/community or
road (with its number), estate, building, unit, floor, room.  It is personal
— and so a finding — only when the chain reaches a part below the street:
"经三路12号", "3号楼", "2单元", "501室", "王庄村3组", "幸福小区3栋".  A bare
"郑州市金水区" or "经三路" is not.

The chain is tried only where an address can start: after a cue (住址, 家住,
现住, 地址 …), at a province or city name, and at the start of a table cell
under an address column.  That keeps "各市、县（市、区）" from being read as
the start of an address and keeps the engine fast.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ._regex import scan_pattern
from .finding import Finding, make_finding
from .model import WordIndex
from .tables import Cell

_H = "[\u4e00-\u9fff]"
_N = "(?:[0-9]{1,5}|[一二三四五六七八九十百零〇两]{1,4})"

PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 "
    "广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆"
).split()

#: Prefecture-level cities likely in notices (all of Henan and Guangdong, the
#: provincial capitals, the largest others); a city not listed is still read
#: after a province or a cue.
CITIES = (
    "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源 "
    "广州 深圳 珠海 汕头 佛山 韶关 湛江 肇庆 江门 茂名 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 "
    "揭阳 云浮 沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛 昆明 曲靖 "
    "玉溪 保山 昭通 丽江 普洱 临沧 瑞丽 德宏 大理 石家庄 太原 呼和浩特 长春 哈尔滨 南京 杭州 合肥 "
    "福州 南昌 济南 武汉 长沙 南宁 海口 成都 贵阳 拉萨 西安 兰州 西宁 银川 乌鲁木齐 苏州 无锡 宁波 "
    "温州 青岛 烟台 厦门 泉州 唐山 保定 徐州 常州 南通 嘉兴 绍兴 金华 台州 潍坊 临沂 襄阳 宜昌 岳阳 "
    "株洲 衡阳 桂林 柳州 绵阳 遵义 宝鸡 天水"
).split()

_PROV = (
    "(?:(?:北京|天津|上海|重庆)市?|(?:河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|"
    "湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾)省?|(?:内蒙古|广西|西藏|宁夏|新疆)"
    f"(?:{_H}{{0,4}}自治区)?)"
)
_CITY = f"(?:{_H}{{1,6}}?(?:自治州|地区|市(?<![超菜集夜]市)|盟))"
_COUNTY = f"(?:{_H}{{1,6}}?(?:新区|区(?<![小社园校景厂矿营]区)|县|旗|市(?<![超菜集夜]市)))"
_TOWN = f"(?:{_H}{{1,7}}?(?:街道办事处|街道|镇|乡))"
_VILLAGE = f"(?:{_H}{{1,7}}?(?:村民委员会|村委会|村|社区|居委会|嘎查))"
#: Below the village: a numbered 组 (the personal part), or a named 屯/坡/组.
_HAMLET = (
    f"(?:(?P<group>{_N}(?:组|队|社|村民小组)|{_H}{{1,4}}?组)|{_H}{{1,5}}?(?:屯|坡|寨|村子|庄|营))"
    "(?:(?P<group2>[0-9]{1,4}组))?(?P<vno>[0-9]{1,5}号)?"
)


def _road(no: str) -> str:
    return (
        f"(?:(?:{_H}|[0-9]){{1,10}}?(?:大道|大街|路|街|巷|胡同|弄)(?:[东西南北中一二三四五六七八九十]?段|[东西南北])?"
        f"(?P<{no}>[0-9]{{1,5}}(?:号院|号(?!楼(?![下上前后旁内里顶]))|弄))?(?:附[0-9]{{1,3}}号)?)"
    )


_ESTATE = (
    f"(?P<estate>(?:{_H}|[0-9A-Za-z]){{2,10}}?(?:小区|花园|家园|公寓|大厦|广场|新村|新城|苑|雅居|"
    "公馆|宿舍|家属院|家属楼|大院|园区|大酒店|酒店|宾馆|旅馆|饭店|招待所|中心|大楼|园|城)"
    f"|{_H}{{2,8}}?(?=(?:[0-9]{{1,4}}|[A-Z])(?:号楼|栋|幢|座)))"
)
_BUILDING = (
    "(?P<building>(?:[0-9]{1,4}|[A-Z]|[一二三四五六七八九十]{1,3})"
    "(?:号楼(?![下上前后旁内里顶])|栋|幢|座|号院|楼(?![下上前后旁内里顶])))"
)
_UNIT = f"(?P<unit>{_N}单元)"
_FLOOR = "(?P<floor>[0-9]{1,3}(?:层|楼))"
_ROOM = (
    "(?P<room>[0-9]{1,5}(?:室|房间|房|户|号)|[0-9]{1,4}-[0-9]{1,4}(?:室|号)?"
    "|(?:(?<=单元)|(?<=[座栋幢]))[0-9]{3,4}(?![0-9]))"
)

ADDRESS_RE = re.compile(
    f"(?P<prov>{_PROV})?(?P<city>{_CITY})?(?P<county>{_COUNTY})?(?P<town>{_TOWN})?"
    f"(?:(?P<village>{_VILLAGE}(?:{_VILLAGE})?)(?:{_HAMLET})?|{_road('roadno')})?(?:{_road('roadno2')})?"
    f"(?:{_ESTATE})?(?:{_BUILDING})?(?:{_UNIT})?(?:{_FLOOR})?(?:{_ROOM})?"
    # the chain ends on a part below the street, where it can: the regex
    # then backtracks into a reading that reaches one ("顺河路街57号")
    "(?<=[号室栋幢座组队社楼元层户房院间弄0-9])"
)
#: Parts below the street: one of them makes an address personal.
PERSONAL_PARTS = ("group", "group2", "vno", "roadno", "roadno2", "building", "unit", "floor", "room")

_CUES = (
    "家庭住址 户籍地址 户籍所在地 居住地址 现居住地 现住址 联系地址 通讯地址 送达地址 住所地 住址 "
    "地址 住所 住处 家住 现住 居住于 居住在 居住地 户籍地 住在 暂住 籍贯 住 位于"
).split()
_CUE_SET = frozenset(_CUES)
# one trie over cues and place names, so that the regex engine can skip ahead
# to their first characters; a cue may be followed by a colon
_START_RE = re.compile(scan_pattern(_CUES + PROVINCES + CITIES))
_AFTER_CUE = re.compile(r"[ \u3000]*(?:[:：为是在的][ \u3000]*)?(?:本(?:省|市|县|区)(?![内外级]))?")
#: A character one of the personal parts must end with; cheap to look for first.
_TAIL_HINT = re.compile("[号室栋幢座组队社楼元层户房院]")
ADDRESS_HEADERS = ("住址", "地址", "住所", "户籍", "居住地", "家庭住址", "所在地", "坐落", "位置")


@functools.lru_cache(maxsize=256)
def _is_address_header(head: str) -> bool:
    return any(h in head for h in ADDRESS_HEADERS)


def parse_address(text: str, pos: int = 0) -> re.Match[str] | None:
    """The address chain starting at pos, if it reaches below the street."""
    m = ADDRESS_RE.match(text, pos)
    if m is None or m.end() == pos:
        return None
    local = m.group(*PERSONAL_PARTS)
    if not any(local):
        return None
    # a floor, room or building alone ("3楼", "501室") is too little
    if sum(map(bool, local)) == 1 and any(local[i] for i in _TOO_LITTLE_ALONE):
        if not any(m.group("prov", "city", "county", "town", "village", "estate")):
            return None
    return m


_TOO_LITTLE_ALONE = tuple(PERSONAL_PARTS.index(g) for g in ("floor", "room", "building"))


def region_end(address: str) -> int:
    """Length of the province/city/county prefix of an address (0 if none)."""
    m = ADDRESS_RE.match(address)
    if m is None:
        return 0
    for g in ("county", "city", "prov"):
        if m.group(g):
            return m.end(g)
    return 0


def find_addresses(text: str, cells: Iterable[Cell] = (), *, words: WordIndex | None = None) -> list[Finding]:
    """Personal addresses in text (offsets into text).

    ``words``, the statistical model's reading of the text, adds starts where
    it reads a place (惠东县平山镇…, 后申塘村16幢 with nothing before them) and
    moves a cue's start off a word that is no part of a place (住处|本市…).
    """
    out: list[Finding] = []
    last_end = -1
    starts: list[tuple[int, str, float]] = []
    # a start with nothing below the street within reach is dropped at once
    # (郑州市应急管理局): the cheap test before the address pattern
    hint = _TAIL_HINT.search
    for m in _START_RE.finditer(text):
        word = m.group()
        if word in _CUE_SET:
            c = _AFTER_CUE.match(text, m.end())
            pos = c.end() if c else m.end()
            if words is not None:
                pos = _place_start(words, pos)
            if hint(text, pos, pos + 48):
                starts.append((pos, f"context cue {word}", 0.9))
        else:
            pos = m.start()
            if hint(text, pos, pos + 48):
                starts.append((pos, "行政区划开头、细至门牌/楼栋/房号", 0.85))
    headers: dict[str, bool] = {}
    for cell in cells:
        head = cell.header
        useful = headers.get(head)
        if useful is None:
            useful = headers[head] = bool(head) and _is_address_header(head)
        if useful and hint(text, cell.start, cell.start + 48):
            starts.append((cell.start, f"表格“{head}”列", 0.9))
    if words is not None:
        for w in words.tagged("LOC"):
            pos = w.start
            cue = _START_RE.match(text, pos)
            if cue is not None and cue.group() in _CUE_SET:  # 住址川汇区…: the place starts after the cue
                c = _AFTER_CUE.match(text, cue.end())
                pos = c.end() if c else cue.end()
            else:
                if text.startswith(_THIS_PLACE, pos):
                    pos += 2  # 本市湘桥区…: the place starts after 本市
                pos = _admin_before(text, words, pos)
            if hint(text, pos, pos + 48):
                starts.append((pos, "LAC 模型判为地名开头、细至门牌/楼栋/房号", 0.8))
    starts.sort()
    for pos, reason, score in starts:
        if pos < last_end:
            continue
        m = parse_address(text, pos)
        if m is None:
            continue
        out.append(make_finding("address", pos, m.end(), m.group(), score, reason))
        last_end = m.end()
    return out


#: Tags of words that start no place: a cue's start moves past them (住|的|惠东县).
_NOT_PLACE_TAGS = frozenset("u p r d c v vd a ad w xc f q".split())


_THIS_PLACE = ("本省", "本市", "本县", "本区")
_ADMIN_WORD = re.compile(f"{_H}{{1,7}}(?:省|市|县|区|旗|镇|乡|街道)")


def _admin_before(text: str, words: WordIndex, pos: int) -> int:
    """Move a place's start back over the county, town … words right before it (城郊乡|廉庄村)."""
    for _ in range(4):
        w = words.at(pos - 1) if pos > 0 else None
        if w is None or w.end != pos or not _ADMIN_WORD.fullmatch(text, w.start, w.end):
            return pos
        if text.startswith(_THIS_PLACE, w.start):
            return pos  # 本市: no part of the address
        pos = w.start
    return pos


def _place_start(words: WordIndex, pos: int) -> int:
    """Where the place after a cue starts, by the model's words: past 的/处/本市 …"""
    for _ in range(3):
        w = words.at(pos)
        if w is None or (w.start == pos and w.tag not in _NOT_PLACE_TAGS):
            return pos
        pos = w.end
    return pos
