"""主题分类: the State Council's two-level subject taxonomy used by gov.cn's policy library
(../shared/REFERENCE.md §1: 22 first-level classes).  Pure data and two lookups.

A document stores its class as "一级/二级" (e.g. "综合政务/应急管理"), or the first
level alone where the class has no second level (其他).
"""

from __future__ import annotations

TOPICS: dict[str, tuple[str, ...]] = {
    "国务院组织机构": ("国务院办公厅", "国务院组成部门", "国务院直属特设机构", "国务院直属机构", "国务院办事机构",
                "国务院直属事业单位", "国务院部委管理的国家局", "议事协调机构", "其他"),
    "综合政务": ("政务公开", "政务督查", "应急管理", "电子政务", "文秘工作", "保密工作", "信访", "参事、文史", "其他"),
    "国民经济管理、国有资产监管": ("经济体制改革", "国民经济发展规划、计划", "宏观经济", "物价", "统计",
                        "节能与资源综合利用", "国有资产监管", "其他"),
    "财政、金融、审计": ("财政", "税务", "审计", "银行", "保险", "证券", "外汇", "其他"),
    "国土资源、能源": ("土地", "矿产", "海洋", "测绘", "电力", "煤炭", "石油与天然气", "新能源", "其他"),
    "农业、林业、水利": ("农业、畜牧业、渔业", "林业", "水利", "其他"),
    "工业、交通": ("工业", "交通", "信息产业（含电信）", "邮政", "其他"),
    "商贸、海关、旅游": ("国内贸易（含供销）", "对外经贸合作", "海关", "旅游", "其他"),
    "市场监管、安全生产监管": ("市场监管", "质量监督", "食品药品监管", "安全生产监管", "其他"),
    "城乡建设、环境保护": ("城市规划", "城乡建设（含住房）", "环境监测、保护与治理", "气象、水文、测绘、地震", "其他"),
    "科技、教育": ("科技", "教育", "知识产权", "其他"),
    "文化、广电、新闻出版": ("文化", "广播、电影、电视", "新闻出版", "文物", "其他"),
    "卫生、体育": ("卫生", "体育", "其他"),
    "人口与计划生育、妇女儿童工作": ("人口与计划生育", "妇女儿童", "其他"),
    "劳动、人事、监察": ("劳动就业", "社会保障", "人事工作", "监察", "其他"),
    "公安、安全、司法": ("公安", "安全", "司法", "其他"),
    "民政、扶贫、救灾": ("社会福利", "减灾救灾", "扶贫", "优抚安置", "社团管理", "行政区划与地名", "其他"),
    "民族、宗教": ("民族事务", "宗教事务", "其他"),
    "对外事务": ("外交", "国际组织", "其他"),
    "港澳台侨工作": ("港澳工作", "台湾工作", "华侨工作", "其他"),
    "国防": ("国防动员", "国防建设", "其他"),
    "其他": (),
}

SEPARATOR = "/"


def codes() -> list[str]:
    """Every valid stored value, first level before its second-level classes."""
    out: list[str] = []
    for top, subs in TOPICS.items():
        if subs:
            out.extend(f"{top}{SEPARATOR}{s}" for s in subs)
        else:
            out.append(top)
    return out


_VALID = frozenset(codes())


def is_valid(value: str) -> bool:
    return value in _VALID


def split(value: str) -> tuple[str, str]:
    """("综合政务", "应急管理") for "综合政务/应急管理"; ("", "") for an unknown value."""
    if value not in _VALID:
        return "", ""
    top, _, sub = value.partition(SEPARATOR)
    return top, sub


def label(value: str) -> str:
    """As shown on pages: 综合政务 › 应急管理."""
    top, sub = split(value)
    return f"{top} › {sub}" if sub else top


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a <select> with <optgroup>s."""
    return [(top, [(f"{top}{SEPARATOR}{s}", s) for s in subs] or [(top, top)]) for top, subs in TOPICS.items()]
