"""Properties of the de-identification engine that hold for any text."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.deid import KINDS, find_personal_data, mask
from webapp.deid.checksums import id_check_char
from webapp.deid.names import surname_of

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- strategies ----------------------------------------------------------------

# Pieces that push every detector down its paths: cues, surnames, units of
# addresses, digits in both widths, separators, masked forms, plate parts.
PIECES = (
    "申请人 当事人 联系人： 姓名： 姓名\t 村民 户主 负责人 驾驶人 主任 书记 先生 女士 同志 驾驶 ，男， （女） 等3户 "
    "，联系电话 （身份证号 "
    "住址： 家住 地址： 电话： 手机 传真 卡号： 银行 账号 邮箱 身份证号 统一社会信用代码 "
    "张 王 李 欧阳 诸葛 司马 建国 小明 秀英 三 丽 某 某甲 ** 张某 王某乙 "
    "河南省 郑州市 金水区 经三路 12号 院 3号楼 2单元 501室 王庄村 3组 幸福小区 栋 "
    "豫A 京A · D 12345 粤B 0371 - 020 （0371） 138 1234 5678 6222 4101 0519 8503 X "
    "０ １ ３ ８ ＠ ． ａ zhang @ . com 163 www. http:// 〔2020〕 号 年 月 日 % 元 "
    "、 ， 。 ： \t | \n 　 "
).split(" ")
PIECES = [p for p in PIECES if p] + [" ", "\t", "\n"]

soup = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
any_text = st.text(max_size=400)
texts = st.one_of(any_text, soup)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(["410105", "410102", "440106", "110105", "530102"]))
    year = draw(st.integers(1940, 2010))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    seq = draw(st.integers(0, 999))
    body = f"{region}{year:04d}{month:02d}{day:02d}{seq:03d}"
    return body + id_check_char(body)


def _luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


mobiles = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(["138", "139", "150", "186", "199", "177"]),
    st.text(alphabet=string.digits, min_size=8, max_size=8),
)
cards = st.builds(
    lambda bin_, rest: _luhn_complete(bin_ + rest),
    st.sampled_from(["622202", "622848", "621700"]),
    st.text(alphabet=string.digits, min_size=12, max_size=12),
)
landlines = st.builds(
    lambda area, first, rest: f"{area}-{first}{rest}",
    st.sampled_from(["0371", "020", "010", "0379"]),
    st.sampled_from("2345678"),
    st.text(alphabet=string.digits, min_size=7, max_size=7),
)
emails = st.builds(
    lambda local, dom: f"{local}@{dom}",
    st.text(alphabet=string.ascii_lowercase + string.digits, min_size=2, max_size=10).filter(lambda s: s[0].isalpha()),
    st.sampled_from(["163.com", "qq.com", "example.cn"]),
)
names = st.builds(
    lambda s, g: s + g,
    st.sampled_from(list("王李张刘陈杨黄赵吴周") + ["欧阳", "司马"]),
    st.sampled_from(["建国", "秀英", "志强", "海燕", "伟", "芳", "德胜", "玉兰", "晓东", "俊杰"]),
)
plates = st.builds(
    lambda prov, letter, dot, tail: f"{prov}{letter}{dot}{tail}",
    st.sampled_from("豫京粤辽"),
    st.sampled_from("ABCF"),
    st.sampled_from(["", "·"]),
    st.sampled_from(["D12345", "12345", "A1234", "F56789"]),
)
addresses = st.builds(
    lambda road, n, b, u, r: f"河南省郑州市金水区{road}{n}号院{b}号楼{u}单元{r}室",
    st.sampled_from(["经三路", "纬五路", "农业路"]),
    st.integers(1, 300),
    st.integers(1, 20),
    st.integers(1, 4),
    st.integers(101, 3004),
)


@st.composite
def notices(draw: st.DrawFn) -> str:
    """A notice made of sentences that each carry personal data behind a cue."""
    blocks = draw(
        st.lists(
            st.one_of(
                st.builds("申请人{}，身份证号{}，手机{}。".format, names, resident_ids(), mobiles),
                st.builds("联系人：{}，电话：{}，邮箱：{}。".format, names, landlines, emails),
                st.builds("开户银行：中国银行，卡号：{}。".format, cards),
                st.builds("当事人{}驾驶{}号车辆。".format, names, plates),
                st.builds("住址：{}。".format, addresses),
                st.builds("国办发〔2019〕54号，2026年3月1日，金额12,345.67元，邮编450000。".format),
            ),
            min_size=1,
            max_size=8,
        )
    )
    return "\n".join(blocks)


# --- properties ----------------------------------------------------------------


def check_findings(text: str) -> None:
    findings = find_personal_data(text)
    previous_end = 0
    for f in findings:
        assert f.kind in KINDS
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert 0.0 <= f.score <= 1.0 and f.reason
        assert f.start >= previous_end, "findings sorted by start and not overlapping"
        previous_end = f.end


@SETTINGS
@given(texts)
def test_any_text_gives_findings_inside_it_sorted_and_not_overlapping(text):
    check_findings(text)


@SETTINGS
@given(notices())
def test_notices_give_findings_inside_them_sorted_and_not_overlapping(text):
    check_findings(text)


def masked_once(text: str) -> str:
    return mask(text, find_personal_data(text))


@SETTINGS
@given(st.one_of(texts, notices()))
def test_masking_twice_equals_masking_once(text):
    once = masked_once(text)
    assert masked_once(once) == once


@SETTINGS
@given(notices())
def test_a_masked_notice_holds_none_of_the_masked_originals(text):
    findings = find_personal_data(text)
    masked = mask(text, findings)
    for f in findings:
        if f.kind == "person_name":
            given_name = f.text[len(surname_of(f.text)) :]
            assert f.text not in masked
            if len(given_name) >= 2:
                assert given_name not in masked
        else:
            assert f.text not in masked, f


@SETTINGS
@given(notices())
def test_every_planted_value_of_a_notice_is_found(text):
    # each sentence of a notice carries its values behind a cue
    kinds = {f.kind for f in find_personal_data(text)}
    if "身份证号" in text:
        assert {"person_name", "id_card", "mobile"} <= kinds
    if "卡号：" in text:
        assert "bank_card" in kinds
    if "住址：" in text:
        assert "address" in kinds
    if "驾驶" in text:
        assert "license_plate" in kinds
    if "邮箱：" in text:
        assert {"email", "landline"} <= kinds
