"""Build corpus.txt, the labelled corpus of the de-identification engine.

Run once; the output is committed so the corpus is stable:

    .venv/bin/python tests/data/deid/build_corpus.py

The documents below are written by hand after real notices (救助名单公示,
行政处罚决定书, 政府信息公开申请答复书, 事故调查报告, the cover letter of seed 004
…).  A placeholder ``{gen:key}`` or ``{gen:key:arg}`` is filled with a
generated value (the same key gives the same value, so one person is one
name) and written as inline markup ``【kind|value】``; markup written by hand
in a template is kept as it is.  ID numbers carry correct GB 11643 check
digits and bank cards pass Luhn, so a wrong label cannot hide behind a bad
number.  Everything not in markup is text the engine must leave alone.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
rng = random.Random(20260301)

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
REGIONS = [
    "410105", "410102", "410103", "410104", "410122", "410181", "411702", "411602", "410302",
    "440106", "440104", "440111", "440305", "210102", "530102", "532502", "110105", "310104",
    "420106", "510107",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
)
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "皇甫", "慕容", "令狐", "夏侯", "端木", "公孙"]
GIVEN = (
    "伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 建国 建华 志强 海燕 "
    "玉兰 红梅 文博 金凤 国庆 卫东 春生 德胜 凤英 淑珍 晓东 俊杰 子涵 浩然 雨萱 欣怡 宇航 思远 梓豪 "
    "佳琪 家豪 振华 丽娟 小红 永刚 桂兰 保国 天佑 新民 红霞 志刚 玉珍 金花 长海 书芳 明亮 云飞 "
    "少华 翠萍 立新 光明 宏伟 雪梅 学文 慧敏 秋菊 瑞祥 满仓 铁柱 跃进 爱华 素芬 玉霞 月娥 继红"
).split()
MOBILE_PREFIX = "130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 166 176 177 178 180 181 182 183 185 186 187 188 189 191 198 199".split()
AREAS = ["0371", "0371", "0371", "020", "020", "010", "024", "0379", "0394", "0396", "0692", "0871", "021"]
BANK_BINS = ["622202", "622848", "621700", "623668", "622700", "621226", "622588", "621661", "622908", "621799"]
PROVS = "豫豫豫豫京粤粤辽云沪鄂川"


def resident_id(region: str | None = None, year: int | None = None) -> str:
    region = region or rng.choice(REGIONS)
    year = year or rng.randint(1940, 2008)
    body = f"{region}{year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, _W, strict=True)) % 11]
    return body + check


def resident_id15() -> str:
    return f"{rng.choice(REGIONS)}{rng.randint(30, 79):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"


def luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def bank_card(length: int | None = None) -> str:
    length = length or rng.choice([16, 19, 19])
    body = rng.choice(BANK_BINS) + "".join(str(rng.randint(0, 9)) for _ in range(length - 7))
    return luhn_complete(body)


def mobile() -> str:
    return rng.choice(MOBILE_PREFIX) + "".join(str(rng.randint(0, 9)) for _ in range(8))


def local_number(area: str) -> str:
    n = 7 if area in ("0692",) else 8
    return str(rng.randint(2, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


_used_names: set[str] = set()


def person(surname: str | None = None) -> str:
    while True:
        if surname:
            s = surname
        elif rng.random() < 0.06:
            s = rng.choice(COMPOUND)
        else:
            s = rng.choice(SURNAMES)
        g = rng.choice(GIVEN)
        name = s + g
        if name not in _used_names:
            _used_names.add(name)
            return name


FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")

ROADS = ["经三路", "纬五路", "农业路", "丰产路", "文化路", "花园路", "金水东路", "中原西路", "建设路", "人民路",
         "解放大道", "环市东路", "天河北路", "黄埔大道", "中山五路", "和平街", "北二七路", "嵩山南路"]
ESTATES = ["幸福小区", "锦绣花园", "阳光家园", "金色港湾小区", "世纪城", "康桥华苑", "绿城百合公寓", "紫荆小区"]
VILLAGES = ["王庄村", "李家村", "刘寨村", "大孟村", "后湖村", "前营村", "张湾村", "新庄村", "东关村"]
TOWNS = ["丰庆路街道", "城关镇", "十八里河街道", "老城街道", "白沙镇", "郭店镇", "姚桥乡", "石化路街道"]
COUNTIES = [("河南省", "郑州市", "金水区"), ("河南省", "郑州市", "中原区"), ("河南省", "周口市", "川汇区"),
            ("河南省", "洛阳市", "老城区"), ("河南省", "信阳市", "浉河区"), ("广东省", "广州市", "天河区"),
            ("广东省", "广州市", "越秀区"), ("河南省", "郑州市", "中牟县"), ("河南省", "驻马店市", "驿城区"),
            ("辽宁省", "沈阳市", "和平区"), ("云南省", "昆明市", "五华区")]
CN_NUM = "一二三四五六七八九十"


def address(style: str = "full") -> str:
    prov, city, county = rng.choice(COUNTIES)
    if style == "full":
        return (f"{prov}{city}{county}{rng.choice(ROADS)}{rng.randint(1, 300)}号院{rng.randint(1, 20)}号楼"
                f"{rng.randint(1, 4)}单元{rng.randint(1, 30)}{rng.randint(1, 4):02d}室")
    if style == "road":
        return f"{city}{county}{rng.choice(ROADS)}{rng.randint(1, 300)}号"
    if style == "estate":
        return f"{county}{rng.choice(ESTATES)}{rng.randint(1, 30)}栋{rng.randint(1, 30)}{rng.randint(1, 4):02d}室"
    if style == "estate_bare":
        return f"{rng.choice(ESTATES)}{rng.randint(1, 30)}栋{rng.randint(1, 4)}单元{rng.randint(1, 30)}{rng.randint(1, 4):02d}室"
    if style == "village":
        return f"{county}{rng.choice(TOWNS)}{rng.choice(VILLAGES)}{rng.choice(CN_NUM)}组"
    if style == "village_bare":
        return f"{rng.choice(VILLAGES)}{rng.randint(1, 12)}组"
    if style == "village_no":
        return f"{rng.choice(TOWNS)}{rng.choice(VILLAGES)}{rng.randint(1, 12)}组{rng.randint(1, 99)}号"
    if style == "city_full":
        return f"{city}{county}{rng.choice(ROADS)}{rng.randint(1, 300)}号{rng.randint(1, 20)}栋{rng.randint(1, 30)}{rng.randint(1, 4):02d}室"
    raise ValueError(style)


PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def plate(style: str = "std") -> str:
    p = rng.choice(PROVS) + rng.choice("AAAABCDEFGHJKLMNPQRS")
    if style == "std":
        tail = "".join(rng.choice("0123456789" if i != 1 or rng.random() < 0.7 else PLATE_LETTERS) for i in range(5))
        return p + tail
    if style == "dot":
        return p + "·" + "".join(rng.choice("0123456789") for _ in range(5))
    if style == "ne":
        return p + rng.choice("DF") + rng.choice("0123456789ABC") + "".join(rng.choice("0123456789") for _ in range(4))
    if style == "ne_dot":
        return p + "·" + rng.choice("DF") + "".join(rng.choice("0123456789") for _ in range(5))
    if style == "ne_large":
        return p + "".join(rng.choice("0123456789") for _ in range(5)) + rng.choice("DF")
    raise ValueError(style)


EMAIL_DOMAINS = ["163.com", "126.com", "qq.com", "sina.com", "gmail.com", "hotmail.com", "foxmail.com", "yeah.net"]
PINYIN = ["zhangwei", "liming", "wangfang", "chenjing", "liuyang", "yangfan", "zhaolei", "huangmin", "zhoujie",
          "sunli", "mayun88", "hu.xiaoming", "guo_hua", "he-qiang", "lin2019", "luo.gang", "zheng123", "xiexin"]


def email() -> str:
    local = rng.choice(PINYIN) + (str(rng.randint(1, 999)) if rng.random() < 0.5 else "")
    if local[0].isdigit():
        local = "a" + local
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def gen(kind: str, arg: str | None) -> tuple[str, str]:
    """(label kind, value) for a generator name."""
    if kind == "id":
        return "id_card", resident_id(year=int(arg) if arg else None)
    if kind == "idx":  # an ID whose check character is X
        while True:
            v = resident_id()
            if v.endswith("X"):
                return "id_card", v
    if kind == "id15":
        return "id_card", resident_id15()
    if kind == "idfw":
        return "id_card", resident_id().translate(FULLWIDTH)
    if kind == "mobile":
        return "mobile", mobile()
    if kind == "mobile_sp":
        m = mobile()
        return "mobile", f"{m[:3]} {m[3:7]} {m[7:]}"
    if kind == "mobile_hy":
        m = mobile()
        return "mobile", f"{m[:3]}-{m[3:7]}-{m[7:]}"
    if kind == "mobile_fw":
        return "mobile", mobile().translate(FULLWIDTH)
    if kind.startswith("tel"):
        area = arg or rng.choice(AREAS)
        local = local_number(area)
        forms = {
            "tel": f"{area}-{local}",
            "tel_paren": f"（{area}）{local}",
            "tel_paren_ascii": f"({area}){local}",
            "tel_sp": f"{area} {local}",
            "tel_ext": f"{area}-{local}-{rng.randint(100, 899)}",
            "tel_local": local,
            "tel_fw": f"{area}-{local}".translate(FULLWIDTH),
            "tel_nosep": f"{area}{local}",
        }
        return "landline", forms[kind]
    if kind == "bank":
        return "bank_card", bank_card(int(arg) if arg else None)
    if kind == "bank_sp":
        b = bank_card(int(arg) if arg else None)
        return "bank_card", " ".join(b[i : i + 4] for i in range(0, len(b), 4))
    if kind == "email":
        return "email", email()
    if kind == "name":
        return "person_name", person(arg)
    if kind == "addr":
        return "address", address(arg or "full")
    if kind == "plate":
        return "license_plate", plate(arg or "std")
    raise ValueError(kind)


_PLACEHOLDER = re.compile(r"\{(\w+):(\w+)(?::(\w+))?\}")


def render(template: str) -> str:
    values: dict[str, tuple[str, str]] = {}

    def fill(m: re.Match[str]) -> str:
        g, key, arg = m.group(1), m.group(2), m.group(3)
        if key not in values:
            values[key] = gen(g, arg)
        kind, value = values[key]
        return f"【{kind}|{value}】"

    return _PLACEHOLDER.sub(fill, template)


def relief_list() -> str:
    """救助名单公示: a table of names, IDs, addresses, amounts, phones."""
    rows = []
    styles = ["village", "village_bare", "estate", "full", "village_no", "road", "estate_bare"]
    for i in range(1, 29):
        name = f"{{name:r{i}}}"
        idg = f"{{idx:i{i}}}" if i % 9 == 0 else f"{{id:i{i}}}"
        addr = f"{{addr:a{i}:{styles[i % len(styles)]}}}"
        phone = f"{{mobile:m{i}}}" if i % 6 else f"{{tel_local:t{i}}}"
        amount = rng.choice(["1,200.00", "800.00", "2,400.00", "3,000.00", "600.00", "1,500.00"])
        people = rng.randint(1, 6)
        rows.append(f"{i}\t{name}\t{idg}\t{addr}\t{people}\t{amount}\t{phone}")
    body = "\n".join(rows)
    return f"""=== doc relief_list: 临时救助名单公示（表格，制表符分隔）===
郑州市金水区民政局
关于2024年第一季度临时救助对象名单的公示

根据《社会救助暂行办法》（国务院令第649号）和《河南省临时救助实施办法》（豫政〔2015〕8号）规定，经个人申请、街道（乡镇）审核、区民政局审批，现将2024年第一季度临时救助对象名单予以公示。公示期为2024年4月1日至2024年4月7日（共7天）。

序号\t户主姓名\t身份证号码\t家庭住址\t家庭人口\t救助金额（元）\t联系电话
{body}
合计\t\t\t\t\t45,600.00\t

如对公示对象有异议，请在公示期内向区民政局社会救助科反映。监督电话：{{tel:sup:0371}}，或拨打12345市民服务热线、12349民政服务热线。邮政编码：450000。
附：救助资金按季度于每月15日前通过“一卡通”发放，资金发放比例为100%。

郑州市金水区民政局
2024年3月29日
"""


def relief_list_pipes() -> str:
    """The same kind of list as a Markdown-like table with " | "."""
    rows = []
    for i in range(1, 13):
        style = ["village_no", "estate", "full", "village"][i % 4]
        amount = rng.choice(["2,000", "1,000", "3,500"])
        rows.append(f"| {i} | {{name:q{i}}} | {{id:j{i}}} | {{addr:b{i}:{style}}} | {{bank:k{i}}} | {amount} |")
    body = "\n".join(rows)
    return f"""=== doc relief_pipes: 受灾群众生活救助资金发放名单（竖线表格）===
周口市川汇区应急管理局
2023年汛期受灾群众冬春生活救助资金发放名单

按照《自然灾害救助条例》第二十条和《河南省自然灾害生活救助资金管理暂行办法》（豫财社〔2021〕87号）规定，现将救助资金发放情况公布如下（资金已于2023年12月20日通过社会保障卡发放）：

| 序号 | 姓名 | 身份证号 | 住址 | 社会保障卡号 | 金额（元） |
| --- | --- | --- | --- | --- | --- |
{body}

本次共发放救助资金33,500元，占年度资金的35.5%。咨询电话：{{tel:cz:0394}}（工作日上午8:30—12:00）。
"""


DOCS: list[str] = []

DOCS.append(relief_list())
DOCS.append(relief_list_pipes())

DOCS.append("""=== doc penalty_person: 行政处罚决定书（个人）===
郑州市应急管理局
行政处罚决定书
郑应急罚〔2024〕17号

当事人：{name:p1}，性别：男，民族：汉，出生日期：1979年6月12日，身份证号：{id:p1id:1979}，住址：{addr:p1a:full}，联系电话：{mobile:p1m}。

经查，2024年1月8日14时30分许，当事人{name:p1}在未取得特种作业操作证的情况下，于郑州市高新区长椿路与科学大道交叉口东北角施工现场从事焊接作业，违反了《中华人民共和国安全生产法》第三十条第一款的规定。上述事实有现场检查记录、询问笔录（询问人：{name:p1q1}、{name:p1q2}）、现场照片等证据为证。

本机关于2024年2月1日向当事人送达了《行政处罚告知书》（郑应急告〔2024〕17号），告知其拟作出行政处罚的事实、理由、依据及依法享有的陈述、申辩和要求听证的权利。{name:p1}在法定期限内未提出陈述、申辩。

依据《中华人民共和国安全生产法》第九十七条第（七）项的规定，决定给予当事人罚款人民币5,000元（大写：伍仟元整）的行政处罚。

当事人应自收到本决定书之日起15日内，将罚款缴至指定银行。收款单位：郑州市财政局非税收入汇缴结算户，开户行：中国银行郑州金水支行，账号：246257802931000123456。逾期不缴纳的，每日按罚款数额的3%加处罚款。

当事人如不服本决定，可在收到本决定书之日起60日内向郑州市人民政府申请行政复议，或者在6个月内依法向郑州铁路运输法院提起行政诉讼。

承办人：{name:p1c1}  联系电话：{tel:p1t:0371}
郑州市应急管理局
2024年2月20日
""")

DOCS.append("""=== doc penalty_company: 行政处罚决定书（单位）===
广州市应急管理局
行政处罚决定书
穗应急罚〔2023〕88号

被处罚单位：广州某某危险化学品经营有限公司
统一社会信用代码：91440101MA59XXXX3K
地址：{addr:c1a:road}
法定代表人：{name:c1}，职务：总经理，身份证号：{id:c1id}，联系电话：{mobile_sp:c1m}

2023年9月14日，我局执法人员{name:c1e1}（执法证号：44010023001）、{name:c1e2}（执法证号：44010023017）依法对该单位进行检查，发现该单位仓库内存放的危险化学品未设置明显的安全警示标志，违反了《危险化学品安全管理条例》第二十条第二款的规定。现场负责人{name:c1f}对上述事实无异议，并在询问笔录上签字确认。

依据《危险化学品安全管理条例》第七十八条第一款第（二）项的规定，决定处以罚款人民币3万元。罚款自收到本决定书之日起十五日内缴至广州市非税收入汇缴专户（账号：3602000129200191234，户名：广州市财政局）。

该单位安全管理人员{name:c1g}（电话：{mobile_hy:c1gm}）已于2023年9月20日完成整改，整改率100%。

如不服本决定，可以在收到本决定书之日起60日内向广州市人民政府申请行政复议。
联系人：{name:c1e1}，电话：{tel_paren:c1t:020}，传真：{tel_sp:c1fax:020}
""")

DOCS.append("""=== doc reply_letter: 政府信息公开申请答复书 ===
政府信息公开申请答复书
豫应急公开〔2024〕第36号

{name:r1}：

本机关于2024年3月5日收到您提交的《政府信息公开申请表》，申请公开“2023年度全省生产安全事故统计数据”（以下简称申请事项）。申请人信息：姓名：{name:r1}，身份证号：{idfw:r1id}，通讯地址：{addr:r1a:full}，邮政编码：450008，联系电话：{mobile_fw:r1m}，电子邮箱：{email:r1e}。

经审查，现答复如下：

您申请的信息属于主动公开范围，已于2024年1月26日在本机关门户网站（http://yjglt.henan.gov.cn/2024/01-26/2891234.html）“统计信息”栏目公开，您可自行查阅。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项的规定，特此告知。

如对本答复不服，可以在收到本答复之日起60日内向河南省人民政府申请行政复议，或者在6个月内向郑州铁路运输法院提起行政诉讼。

联系人：{name:r1c}  联系电话：{tel_fw:r1t:0371}  电子邮箱：{email:r1ce}

河南省应急管理厅
2024年3月18日
""")

DOCS.append("""=== doc reply_letter2: 政府信息公开申请答复书（部分公开）===
关于{name:r2}政府信息公开申请的答复

{name:r2}先生：

您于2024年5月10日通过信函方式提出的政府信息公开申请收悉。您申请获取“郑州市金水区丰庆路街道王庄村2023年危房改造补助对象名单及补助金额”。

经查，您申请的信息中，补助对象的姓名、身份证号码、家庭住址、银行账号等属于个人隐私，依据《中华人民共和国政府信息公开条例》第十五条的规定，对上述内容作去标识化处理后予以公开。补助对象户主{name:r2a}、{name:r2b}、{name:r2c}三户已书面同意公开其姓名。

现将处理后的名单（共23户，补助金额合计27.6万元）随本答复书一并提供。本机关不收取信息处理费。

本答复书送达地址：{addr:r2addr:city_full}（{name:r2}收），联系电话：{mobile:r2m}。
经办人：{name:r2k}，联系电话：{tel_ext:r2t:0371}。
""")

DOCS.append("""=== doc accident_report: 事故调查报告 ===
信阳市浉河区“3·15”较大道路交通事故调查报告

2023年3月15日7时40分许，在G312国道K1012+300米处（浉河区董家河镇境内），发生一起重型半挂牵引车与小型普通客车相撞的较大道路交通事故，造成3人死亡、2人受伤，直接经济损失约386.5万元。

依据《中华人民共和国安全生产法》和《生产安全事故报告和调查处理条例》（国务院令第493号）等法律法规，信阳市人民政府成立了事故调查组。

一、事故基本情况
（一）事故车辆及驾驶人情况
1. 重型半挂牵引车，号牌号码{plate:a1:std}，挂车号牌{plate:a2:std}，所有人为信阳某某物流有限公司（统一社会信用代码：91411500MA45XXXX7B）。驾驶人{name:d1}，男，41岁，身份证号{id:d1id:1982}，住{addr:d1a:village}，持A2驾驶证，手机号码{mobile:d1m}。
2. 小型普通客车，号牌号码{plate:a3:ne}，所有人{name:d2}，驾驶人{name:d2}，女，36岁，身份证号{id:d2id:1987}，住址{addr:d2a:estate}。

（二）伤亡人员情况
死者：{name:v1}，男，67岁，身份证号{id15:v1id}，住{addr:v1a:village_no}；{name:v2}，女，62岁，身份证号{idx:v2id}；{name:v3}，男，9岁。
伤者：{name:v4}、{name:v5}，均为小型普通客车乘车人，现已出院。

二、事故经过
2023年3月15日7时许，{name:d1}驾驶{plate:a1:std}号重型半挂牵引车由东向西行驶至K1012+300米处时，因疲劳驾驶，车辆越过道路中心线，与对向由{name:d2}驾驶的{plate:a3:ne}号小型普通客车相撞。事故发生后，{name:d1}拨打110、120报警求助。

三、事故原因
（一）直接原因：{name:d1}违反《中华人民共和国道路交通安全法》第二十二条第一款的规定，疲劳驾驶。
（二）间接原因：信阳某某物流有限公司安全管理主体责任不落实，未对驾驶人进行安全教育。公司法定代表人{name:d3}、安全员{name:d4}未履行安全管理职责。

四、处理建议
1. 驾驶人{name:d1}涉嫌交通肇事罪，已由公安机关依法立案侦查。
2. 建议由信阳市应急管理局对信阳某某物流有限公司处以罚款50万元，对{name:d3}处以上一年年收入40%的罚款。
3. 张某某（该公司车队队长，已被公安机关采取强制措施）、王某甲等人的问题另案处理。

信阳市“3·15”较大道路交通事故调查组
2023年6月30日
""")

DOCS.append("""=== doc seed004_cover: 印发实施方案的通知（据seed 004封面）===
广州市应急管理局

广州市应急管理局关于印发 2022 年 政务公开工作实施方案的通知

各处室、各直属单位：

为贯彻落实《广州市人民政府办公厅关于印发广州市 2022 政务公开工作要点分工方案的通知》（穗府办函〔2022〕48 号）部署要求，我局制定了今年政务公开工作实施方案，现印发你们，请各处室、各直属单位要高度重视，明确本部门具体经办同志，落实好相关工作任务和责任。

附件：广州市应急管理局 2022 年政务公开工作实施方案

（联系人：【person_name|叶玉才】，联系电话：【landline|83186312】）

广州市应急管理局
2022年8月12日
""")

DOCS.append("""=== doc meeting_notice: 会议通知 ===
关于召开2024年全市应急管理系统政务公开工作培训会的通知

各区应急管理局，局机关各处室：

经研究，定于2024年4月18日（星期四）上午9:00在市应急管理局三楼会议室（【address|郑州市郑东新区商务外环路23号】）召开培训会。请各单位于4月15日17:00前将参会回执报送至局办公室。

联系人：{name:m1}，电话：{tel:m1t:0371}，手机：{mobile:m1m}；{name:m2}，电话：{tel_ext:m2t:0371}。
传真：{tel_paren_ascii:m3t:0371}。电子邮箱：{email:m4e}。
参会人员名单请发送至{email:m5e}，抄送{email:m6e}。

附件：参会回执

单位\t姓名\t职务\t手机号码
金水区应急管理局\t{name:m7}\t副局长\t{mobile:m7m}
中原区应急管理局\t{name:m8}\t科长\t{mobile_hy:m8m}
二七区应急管理局\t{name:m9}\t科员\t{mobile:m9m}
管城回族区应急管理局\t{name:m10}\t副科长\t{mobile_sp:m10m}
""")

DOCS.append("""=== doc report_reward: 举报奖励公告 ===
郑州市应急管理局安全生产举报奖励公告
（2024年第2期）

根据《安全生产领域举报奖励办法》（应急〔2018〕19号）第九条规定，经核查，以下举报事项属实，现对举报人予以奖励：

1. 举报人{name:w1}举报郑州某某建材有限公司违规动火作业一事，经查属实，奖励人民币3,000元。奖励资金将汇入举报人提供的账户（开户行：中国工商银行郑州经三路支行，卡号：{bank_sp:w1b:19}）。
2. 举报人{name:w2}（联系电话：{mobile:w2m}，邮箱：{email:w2e}）举报某某加油站非法储存汽油一事，奖励人民币5,000元，奖励资金已于2024年3月12日转入其银行卡{bank:w2b:16}。
3. 举报人{name:w3}举报事项经核查部分属实，奖励人民币1,000元，转入其建设银行账户{bank:w3b:19}。

领奖人应持本人身份证（{name:w1}：{id:w1id}；{name:w2}：{id:w2id}；{name:w3}：{id:w3id}）于2024年4月30日前到郑州市应急管理局政策法规处办理。举报电话：12350。举报邮箱：aqjb@zhengzhou.gov.cn。

郑州市应急管理局
2024年3月25日
""".replace("aqjb@zhengzhou.gov.cn", "【email|aqjb@zhengzhou.gov.cn】"))

DOCS.append("""=== doc compensation: 房屋征收补偿公示 ===
金水区国有土地上房屋征收补偿情况公示（第三批）

根据《国有土地上房屋征收与补偿条例》（国务院令第590号）第二十九条规定，现将经三路片区房屋征收补偿情况公示如下：

被征收人\t身份证号\t房屋坐落\t建筑面积（㎡）\t补偿金额（元）\t开户银行\t银行账号
{name:h1}\t{id:h1id}\t{addr:h1a:road}\t86.52\t1,730,400.00\t中国建设银行\t{bank:h1b:19}
{name:h2}\t{id:h2id}\t{addr:h2a:city_full}\t102.30\t2,046,000.00\t中国农业银行\t{bank:h2b:19}
{name:h3}\t{idx:h3id}\t{addr:h3a:road}\t64.00\t1,280,000.00\t中国工商银行\t{bank_sp:h3b:19}
{name:h4}\t{id:h4id}\t{addr:h4a:city_full}\t120.75\t2,415,000.00\t郑州银行\t{bank:h4b:16}
{name:h5}\t{id:h5id}\t{addr:h5a:road}\t58.90\t1,178,000.00\t中原银行\t{bank:h5b:19}

公示期间（2024年5月6日至5月12日），如有异议，请向金水区房屋征收办公室反映。地址：郑州市金水区文化路86号，电话：{tel:h6t:0371}，受理时间：工作日9:00—17:00。
""".replace("地址：郑州市金水区文化路86号", "地址：【address|郑州市金水区文化路86号】"))

DOCS.append("""=== doc villagers: 村务公开 — 低保评议结果 ===
大孟镇大孟村2024年低保户民主评议结果公示

2024年3月20日，大孟村召开村民代表大会，对申请低保的12户进行了民主评议。参会村民代表35人，村“两委”成员7人，镇包村干部{name:g1}、{name:g2}列席会议。

经评议，村民{name:g3}、{name:g4}、{name:g5}、{name:g6}四户符合低保条件，拟上报镇政府审核；村民{name:g7}家庭人均收入超过当地低保标准（每人每月520元），不予上报。

户主{name:g3}，住{addr:g3a:village_bare}，因病致贫，家庭人口3人；户主{name:g4}，住{addr:g4a:village_bare}，残疾（肢体二级），家庭人口2人。
监督人：村务监督委员会主任{name:g8}，联系电话：{mobile:g8m}。

公示期7天，如有异议请向村委会或大孟镇民政所反映（电话：{tel_nosep:g9t:0371}）。
大孟村村民委员会
2024年3月21日
""")

DOCS.append("""=== doc traffic: 机动车交通违法公告 ===
关于督促机动车所有人及时处理交通违法的公告

以下机动车在本市道路上存在多次交通技术监控记录的违法行为且逾期未处理，请机动车所有人或驾驶人自本公告发布之日起30日内，持本人驾驶证、机动车行驶证到公安交通管理部门接受处理。逾期不处理的，依据《中华人民共和国道路交通安全法》第一百一十二条等规定处理。

号牌号码\t车辆类型\t违法次数\t违法地点
{plate:t1:std}\t小型汽车\t12\t金水路与未来路交叉口
{plate:t2:dot}\t小型汽车\t8\t黄河路与花园路交叉口
{plate:t3:ne}\t新能源小型汽车\t6\t中州大道（航海路至陇海路段）
{plate:t4:ne_dot}\t新能源小型汽车\t15\t京广快速路
{plate:t5:ne_large}\t新能源大型客车\t5\t商都路
{plate:t6:std}\t大型货车\t21\t107国道K689处
{plate:t7:std}\t小型汽车\t9\t郑州市高新区科学大道
{plate:t8:dot}\t小型汽车\t7\t王府井百货门前
{plate:t9:std}\t小型汽车\t11\t周口市川汇区七一路

咨询电话：0371-12122（全省统一），或登录www.hnga.gov.cn查询。
""")

DOCS.append("""=== doc negatives: 年度报告（无个人信息的硬反例）===
郑州市应急管理局2023年政府信息公开工作年度报告

本报告根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）第五十条规定编制，依据《国务院办公厅关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办函〔2021〕30号）、国办发〔2019〕54号、豫应急办〔2020〕62 号和豫政办〔2020〕5号要求撰写。报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止（即20230101至20231231）。本报告电子版可在郑州市应急管理局门户网站（http://yjglj.zhengzhou.gov.cn/zfxxgk/index.jhtml）和中国政府网（www.gov.cn）下载，另见https://www.henan.gov.cn/2024/01-31/2893456.html。

一、总体情况
2023年，全年主动公开政府信息1,286条，同比增长12.5%；受理依申请公开45件，办结率100%，按时答复率98.6%。全年安全生产预算5000万元，实际支出4,873.26万元，执行率97.46%。全市共有统一社会信用代码为12410100005252123X的事业单位及91410100MA44XXXXXX、91410105MA9FXXXX2Q等企业在平台登记。12345、12350、12315、8890、110、119、120、122热线全年转办工单3,451件；96110反诈热线、400-800-1234和800-820-8820等企业服务号码不属个人信息。

二、依申请公开情况
依据《条例》第十四条、第十五条、第16条不予公开的共3件，依据第三十六条第（三）项答复的共11件。郑州市邮政编码450000，金水区邮政编码450008，2023年度人口约1,282.8万人。日期格式示例：2026年3月1日、2026-03-01、2026.03.01、20260301。

三、存在问题
一是部分县（市、区）政务公开专栏更新不及时；二是解读材料形式单一，图解、视频等形式占比仅为23%。“十四五”规划实施以来，应急管理部〔2021〕12号、应急厅函〔2019〕390号等文件已全文公开。

四、其他
张某、王某甲、王某乙、李某某、赵*、孙××等已作去标识化处理。张家口市、王府井、黄河路、高新区、周口市、常州、金水区、郑州、欧阳修纪念馆（吉安市）、诸葛亮文化节、司马光砸缸雕塑均为地名或文化名称。欢迎社会各界通过12345热线、“郑州应急”微信公众号（zzyjgl）反映意见建议。文号如郑政〔2023〕15号、郑政办文〔2023〕62号；合同编号ZZYJ-2023-0158；项目编号HNZB20230818001。
""")

DOCS.append("""=== doc letters_visit: 信访事项处理意见书 ===
信访事项处理意见书
金信访〔2024〕第58号

信访人：{name:x1}，男，住址：{addr:x1a:estate}，联系电话：{mobile:x1m}。
信访人：{name:x2}，女，住址：{addr:x2a:full}，联系电话：{mobile_sp:x2m}。

你们于2024年4月2日反映的“幸福小区附近工地夜间施工噪音扰民”问题收悉。经调查，该工地施工单位（郑州某某建设工程有限公司，项目负责人{name:x3}，电话：{mobile:x3m}）已于4月5日停止夜间施工，并于4月8日完成降噪设施安装。

根据《信访工作条例》第三十二条的规定，现提出处理意见如下：你们反映的问题属实，已责成施工单位整改。{name:x1}、{name:x2}如对本处理意见不服，可以自收到本意见书之日起30日内向金水区人民政府申请复查。

金水区信访局
2024年4月15日
（本意见书送{name:x1}、{name:x2}，抄送丰庆路街道办事处。）
""")

DOCS.append("""=== doc application_form: 政府信息公开申请表（表单）===
政府信息公开申请表

申请人信息
姓名\t{name:f1}\t工作单位\t郑州某某科技有限公司
证件名称\t居民身份证\t证件号码\t{id:f1id}
联系电话\t{mobile:f1m}\t邮政编码\t450001
通讯地址\t{addr:f1a:full}
电子邮箱\t{email:f1e}\t传真\t{tel:f1fax:0371}

所需信息情况
所需信息内容描述：2023年度金水区安全生产专项资金使用情况（附件：资金分配表，共2页）
获取信息方式：电子邮件
申请日期：2024年2月28日

法人或其他组织
名称\t郑州某某化工有限公司\t统一社会信用代码\t91410100317123456Q
法定代表人\t{name:f2}\t联系人\t{name:f3}
联系人电话\t{tel_ext:f3t:0371}\t联系人邮箱\t{email:f3e}
""")

DOCS.append("""=== doc drowning: 溺水事件情况通报 ===
关于一起学生溺水死亡事件的情况通报

2024年7月14日16时许，中牟县姚家镇后湖村村民{name:n1}之子{name:n2}（男，12岁，身份证号{id:n2id:2012}）与同村儿童{name:n3}、{name:n4}在村东侧无防护坑塘游泳时发生溺水。接到报警后，县消防救援大队、姚家镇政府工作人员迅速赶到现场，{name:n2}经抢救无效死亡，{name:n3}、{name:n4}获救。

经调查，该坑塘系2019年某砖厂取土形成，水深约3.5米，未设置警示标志和防护设施。姚家镇分管负责人{name:n5}、后湖村党支部书记{name:n6}对坑塘安全隐患排查不到位，负有管理责任。县纪委监委已对{name:n5}、{name:n6}立案审查。

请各乡镇（街道）立即开展防溺水安全隐患排查。联系人：县应急管理局{name:n7}，电话：{tel:n7t:0371}，手机：{mobile:n7m}。

中牟县防溺水工作领导小组办公室
2024年7月16日
""")

DOCS.append("""=== doc epidemic: 密切接触者排查通告 ===
关于协查新冠肺炎确诊病例密切接触者的通告（2022年第15号）

2022年11月3日，我区报告1例新冠肺炎确诊病例。为切实做好疫情防控工作，请以下人员主动向所在社区报备：

确诊病例{name:e1}（女，1990年出生，身份证号{id:e1id:1990}），现住{addr:e1a:city_full}，工作单位为天河区某某商场，近期活动轨迹：10月30日乘坐{plate:e1p:ne}号网约车（驾驶人{name:e2}，手机{mobile:e2m}）前往天河区体育西路；10月31日在岗工作。

与其同住人员：{name:e3}（丈夫，手机{mobile_hy:e3m}）、{name:e4}（母亲）。如有与上述人员时空交集者，请立即拨打疾控中心电话{tel:e5t:020}或12345热线报备。
详情见：http://www.gz.gov.cn/xw/tzgg/content/post_8634521.html

广州市天河区新冠肺炎疫情防控指挥部
2022年11月4日
""")

DOCS.append("""=== doc fullwidth: 全角字符的公示 ===
困难职工帮扶资金发放名单（扫描件录入）

姓名：{name:u1}，身份证号：{idfw:u1id}，手机：{mobile_fw:u1m}，电话：{tel_fw:u1t:0371}。
姓名：{name:u2}，身份证号：{idfw:u2id}，手机：{mobile_fw:u2m}。
姓名：{name:u3}，身份证号：{id:u3id}，手机：{mobile:u3m}，银行卡号：{bank_sp:u3b:16}。
发放金额：每人２，０００元，资金来源：２０２３年度工会经费。发文日期：２０２４年１月１０日。
""")

DOCS.append("""=== doc wanted: 督办通知（姓名后置提示）===
关于督促落实安全生产隐患整改的通知

各有关单位：

近日，市安委办对全市危化品企业开展了暗访检查。检查中发现，{name:y1}同志带队的第三检查组发现郑州某某化工公司存在重大事故隐患3项。{name:y2}女士（该公司安全总监）、{name:y3}先生（该公司总经理）已签字确认。

请{name:y4}同志于5月20日前将整改报告报市安委办，联系人：{name:y5}，手机：{mobile:y5m}，电子邮箱：{email:y5e}。

{name:y6}，男，该公司仓库保管员，身份证号码{id:y6id}，因违规操作被停职。{name:y7}，女，该公司出纳，手机号码{mobile:y7m}，银行卡号{bank:y7b:16}。
""")


DOCS.append("""=== doc permits: 应急救援车辆通行证及联络人名单 ===
关于核发2024年防汛应急救援车辆通行证的通知

各有关单位：

为保障汛期应急救援车辆快速通行，经审核，现对以下车辆核发应急救援通行证（有效期至2024年9月30日），请各单位联络人及时领取。通行证编号：YJ2024-001至YJ2024-012。

单位 | 号牌号码 | 驾驶员 | 联络人 | 联络人邮箱
市消防救援支队 | {plate:v1:ne} | {name:v1d} | {name:v1c} | {email:v1e}
市水利局 | {plate:v2:std} | {name:v2d} | {name:v2c} | {email:v2e}
市供电公司 | {plate:v3:dot} | {name:v3d} | {name:v3c} | {email:v3e}
市燃气集团 | {plate:v4:ne_dot} | {name:v4d} | {name:v4c} | {email:v4e}
市政工程管理处 | {plate:v5:std} | {name:v5d} | {name:v5c} | {email:v5e}
中国移动郑州分公司 | {plate:v6:ne_large} | {name:v6d} | {name:v6c} | {email:v6e}

另，社会救援力量“蓝天救援队”车辆{plate:v7:std}（驾驶员{name:v7d}，手机{mobile:v7m}）、{plate:v8:ne}（驾驶员{name:v8d}）一并核发。
通行证遗失的，请发送邮件至{email:v9e}或拨打{tel:v9t:0371}补办，并抄送{email:v10e}。
""")


HOLDOUT: list[str] = []

HOLDOUT.append("""=== doc h_dibao: 城市低保年审结果（竖线表格）===
二七区民政局2024年度城市最低生活保障年审结果公示

经入户调查、信息核对和民主评议，现将年审结果公示如下（停保对象另行通知本人）：

序号 | 户主 | 证件号码 | 居住地址 | 保障人数 | 月保障金（元） | 手机号
1 | {name:hd1} | {id:hd1i} | {addr:hd1a:estate_bare} | 2 | 1,040 | {mobile:hd1m}
2 | {name:hd2} | {id:hd2i} | {addr:hd2a:city_full} | 1 | 520 | {mobile:hd2m}
3 | {name:hd3} | {idx:hd3i} | {addr:hd3a:estate} | 3 | 1,560 | {mobile_sp:hd3m}
4 | {name:hd4} | {id15:hd4i} | {addr:hd4a:village_no} | 1 | 520 | {mobile:hd4m}
5 | {name:hd5:王} | {id:hd5i} | {addr:hd5a:full} | 4 | 2,080 | {mobile:hd5m}
6 | {name:hd6:王} | {id:hd6i} | {addr:hd6a:road} | 2 | 1,040 | {tel:hd6t:0371}
7 | {name:hd7} | {id:hd7i} | {addr:hd7a:village} | 1 | 520 | {mobile_hy:hd7m}
8 | {name:hd8:欧阳} | {id:hd8i} | {addr:hd8a:estate_bare} | 2 | 1,040 | {mobile:hd8m}

公示时间：2024年6月3日—6月9日。举报电话：0371-68812345（区民政局）、12345。
""".replace("0371-68812345", "【landline|0371-68812345】"))

HOLDOUT.append("""=== doc h_review: 行政复议决定书 ===
郑州市人民政府
行政复议决定书
郑政复决〔2024〕112号

申请人：{name:hr1}，女，1968年3月出生，汉族，住{addr:hr1a:full}。
委托代理人：{name:hr2}，河南某某律师事务所律师，联系电话：{mobile:hr2m}。
被申请人：郑州市某区人民政府。
法定代表人：{name:hr3}，区长。

申请人不服被申请人于2023年11月20日作出的《政府信息公开申请答复书》（某政公开〔2023〕89号），于2024年1月5日向本机关申请行政复议，本机关依法受理。

申请人称：其于2023年10月23日通过邮寄方式向被申请人申请公开“某村2019年土地征收补偿安置方案及补偿款发放明细”，被申请人仅公开了补偿方案，未公开发放明细。申请人认为发放明细中除个人身份证号码、银行账号外均应公开。

被申请人称：发放明细中包含{name:hr4}、{name:hr5}等187户村民的姓名、身份证号码、银行账号及补偿金额，属于《中华人民共和国政府信息公开条例》第十五条规定的个人隐私。

本机关认为：……依据《中华人民共和国行政复议法》第六十八条的规定，决定维持被申请人作出的答复。

申请人如不服本决定，可以自收到本决定书之日起15日内向人民法院提起行政诉讼。

2024年3月4日
（送达：{name:hr1}，地址同上；抄送：{name:hr2}律师，电子邮箱{email:hr2e}）
""")

HOLDOUT.append("""=== doc h_fall: 高处坠落事故通报 ===
关于某某建设工程有限公司“8·07”高处坠落事故的通报

2023年8月7日9时20分许，位于管城回族区南三环与紫荆山路交叉口西南角的某某家园三期项目工地发生一起高处坠落事故，造成1人死亡。

事故简要经过：当日上午，施工单位木工班组长{name:hf1}安排工人{name:hf2}（男，53岁，河南省周口市人）在18号楼第22层外架上拆除模板。9时15分左右，{name:hf2}在未系安全带的情况下作业，不慎从外架坠落至地面，经送医抢救无效死亡。

事故暴露出的问题：一是项目经理{name:hf3}长期不在岗，由生产经理{name:hf4}代为履职；二是安全员{name:hf5}未进行班前安全交底；三是总监理工程师{name:hf6}对危大工程监理不到位。

处理情况：管城区应急管理局已对施工单位处以罚款人民币60万元，对{name:hf3}处以罚款人民币3.2万元。事故车辆（运送伤者的私家车{plate:hfp:ne}，车主{name:hf7}）已配合调查。

各单位要深刻吸取事故教训。联系人：市住建局质安处{name:hf8}，电话{tel:hf8t:0371}，邮箱{email:hf8e}。
""")

HOLDOUT.append("""=== doc h_ledger: 依申请公开登记台账（制表符）===
2024年第二季度政府信息公开申请登记台账

受理编号\t申请人\t联系方式\t申请内容\t受理日期\t答复日期\t处理结果
YSQ-2024-041\t{name:hl1}\t{mobile:hl1m}\t某村土地征收批复\t2024-04-02\t2024-04-25\t予以公开
YSQ-2024-042\t{name:hl2}\t{tel_sp:hl2t:0371}\t2023年度财政预算\t2024-04-07\t2024-04-19\t已主动公开
YSQ-2024-043\t{name:hl3}\t{email:hl3e}\t某小区消防验收意见\t2024-04-15\t2024-05-10\t部分公开
YSQ-2024-044\t{name:hl4:李}\t{mobile:hl4m}\t某路段交通事故认定书\t2024-05-06\t2024-05-28\t不予公开（个人隐私）
YSQ-2024-045\t{name:hl5:李}\t{mobile_fw:hl5m}\t某企业安全生产许可证\t2024-05-20\t2024-06-12\t予以公开
YSQ-2024-046\t{name:hl6}\t{email:hl6e}\t本局2023年政府信息公开年报\t2024-06-03\t2024-06-05\t已主动公开

（注：受理编号、日期均为台账内部编号；本季度共受理46件，办结率100%。）
""")

HOLDOUT.append("""=== doc h_notice_letter: 责令限期改正通知书 ===
{name:hn1}同志：

经查，你于2024年4月12日驾驶{plate:hn1p:dot}号小型轿车在金水路与经三路交叉口违反禁止标线指示停车，现责令你于2024年5月1日前到郑州市公安局交通警察支队金水大队（地址：郑州市金水区经七路34号）接受处理。逾期不接受处理的，依法予以处罚。

你的户籍地址为{addr:hn1a:full}，身份证号码为{id:hn1i}，驾驶证档案编号410100123456（非个人敏感号码，仅供核对）。如对本通知有异议，请拨打{tel_paren:hn1t:0371}或发送邮件至{email:hn1e}。

另：同车乘客{name:hn2}（手机{mobile:hn2m}）已作为证人接受询问。
""".replace("地址：郑州市金水区经七路34号", "地址：【address|郑州市金水区经七路34号】"))

HOLDOUT.append("""=== doc h_relocation: 搬迁安置情况说明 ===
关于黄河滩区居民迁建安置房分配情况的说明

根据《河南省黄河滩区居民迁建规划》（豫政〔2017〕38号），原阳县靳堂乡第一批滩区群众共1,236户已于2023年底前搬迁入住新建安置社区。

安置对象中，家住{addr:hx1a:village}的{name:hx1}一家5口分得安置房两套，其中一套位于{addr:hx2a:estate}；村民{name:hx3}因与其弟{name:hx4}存在宅基地纠纷，暂缓分配，待乡人民调解委员会调解后另行安排。

困难户{name:hx5}（身份证号{id:hx5i}，联系电话{mobile:hx5m}）因病致贫，经乡政府研究，由乡民政所协助其申请临时救助3,000元，款项打入其农商银行卡号{bank:hx5b:19}。

如有疑问，请联系原阳县滩区迁建指挥部办公室，电话{tel:hx6t:0373}。
""")

HOLDOUT.append("""=== doc h_contacts: 工作专班通讯录 ===
全市防汛抗旱工作专班联络表

职务 | 姓名 | 办公电话 | 手机 | 电子邮箱
组长 | {name:hc1} | {tel:hc1t:0371} | {mobile:hc1m} | {email:hc1e}
副组长 | {name:hc2} | {tel_ext:hc2t:0371} | {mobile:hc2m} | {email:hc2e}
联络员 | {name:hc3} | {tel:hc3t:0371} | {mobile_sp:hc3m} | {email:hc3e}
联络员 | {name:hc4} | {tel:hc4t:0371} | {mobile:hc4m} | {email:hc4e}

专班值班电话：{tel:hc5t:0371}（24小时），传真：{tel:hc6t:0371}。防汛专用车辆：{plate:hc7p:std}、{plate:hc8p:ne}。
""")

HOLDOUT.append("""=== doc h_stats: 统计公报（硬反例）===
2023年全市安全生产统计公报

2023年，全市共发生各类生产安全事故126起、死亡98人，同比分别下降15.4%和12.5%。亿元地区生产总值生产安全事故死亡率0.0073，工矿商贸就业人员十万人生产安全事故死亡率0.85。全年投入安全生产专项资金2.36亿元（236,000,000元），其中中央资金8,600万元。

全年开展执法检查21,456家次，下达执法文书18,923份，罚款金额12,345.67万元。举报投诉平台（www.12350.gov.cn）受理举报3,408件，兑现奖励资金156.8万元。全市统一政务服务热线12345共受理涉安全生产诉求25,631件。

全市注册危化品企业1,024家，其中统一社会信用代码以9141开头的企业986家。根据国发〔2016〕32号、豫政〔2018〕26号和郑政文〔2023〕15号文件，第十四条至第二十二条所列事项均已办结。邮编450007，区号0371。

附：事故等级划分标准（《生产安全事故报告和调查处理条例》第三条）；统计数据截至2023年12月31日24时（20231231）；报送系统版本V3.2.1。
""")


def main() -> None:
    text = "\n".join(render(d) for d in DOCS)
    (HERE / "corpus.txt").write_text(text, encoding="utf-8")
    n = len(re.findall("【", text))
    print(f"wrote {HERE / 'corpus.txt'}: {len(DOCS)} documents, {n} labelled spans")
    rng.seed(20260302)
    text = "\n".join(render(d) for d in HOLDOUT)
    (HERE / "corpus_holdout.txt").write_text(text, encoding="utf-8")
    n = len(re.findall("【", text))
    print(f"wrote {HERE / 'corpus_holdout.txt'}: {len(HOLDOUT)} documents, {n} labelled spans")


if __name__ == "__main__":
    main()
