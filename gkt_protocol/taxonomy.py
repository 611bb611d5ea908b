"""主题分类: the State Council's two-level subject classification (gov.cn), first level.

The 22 first-level classes are fixed (REFERENCE.md §1) and a pushed document must name one.
The second level is kept as the sender's text (bounded): the lists differ between portals,
and the portal shows what the agency chose.  Where gov.cn's list is known it is given here
for the sender's forms (`SECOND_LEVEL`).
"""

from __future__ import annotations

TOP_CLASSES: tuple[str, ...] = (
    "国务院组织机构",
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
)

SECOND_LEVEL: dict[str, tuple[str, ...]] = {
    "综合政务": ("政务公开", "政务督查", "应急管理", "电子政务", "文秘工作", "保密工作", "信访", "参事、文史", "其他"),
}

MAX_SECOND_LEVEL_CHARS = 30
