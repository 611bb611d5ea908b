"""The de-identification rules, one kind at a time, written as they are stated."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from webapp.deid import KIND_LABELS, KINDS, Finding, find_personal_data, mask, mask_value, name_aliases
from webapp.deid.checksums import id_check_char, is_resident_id18, is_uscc, luhn_ok


def found(text: str, kind: str | None = None) -> list[str]:
    """The texts of the findings (of one kind) in text."""
    return [f.text for f in find_personal_data(text) if kind is None or f.kind == kind]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_personal_data(text)]


def valid_id(first17: str) -> str:
    return first17 + id_check_char(first17)


ID = valid_id("41010519850312123")  # 41010519850312123 + its check digit
CARD = "6222020200112233446"  # Luhn-valid, 19 digits


# --- the API the review screen is built on ---------------------------------


def test_kinds_and_labels_are_in_the_order_of_the_ui():
    assert KINDS == ("id_card", "mobile", "landline", "bank_card", "email", "person_name", "address", "license_plate")
    assert list(KIND_LABELS) == list(KINDS)
    assert KIND_LABELS["id_card"] == "身份证号"
    assert KIND_LABELS["person_name"] == "姓名"
    assert KIND_LABELS["license_plate"] == "车牌号"


def test_a_finding_is_frozen_and_points_into_the_text():
    text = f"申请人张三，身份证号{ID}。"
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == ["person_name", "id_card"]
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert 0.0 <= f.score <= 1.0 and f.reason
    with pytest.raises(dataclasses.FrozenInstanceError):
        findings[0].start = 0  # type: ignore[misc]


def test_the_reason_says_why():
    by_kind = {f.kind: f.reason for f in find_personal_data(f"申请人张三，身份证号{ID}", second_opinion=False)}
    assert by_kind["id_card"] == "校验位正确的身份证号"
    assert by_kind["person_name"] == "context cue 申请人"


def test_the_reason_says_when_the_model_read_the_same_name():
    by_kind = {f.kind: f.reason for f in find_personal_data(f"申请人张三，身份证号{ID}")}
    assert by_kind["person_name"] == "context cue 申请人；LAC 模型亦判为人名"


def test_empty_text_has_no_findings():
    assert find_personal_data("") == []


# --- 身份证号 ----------------------------------------------------------------


def test_an_id_with_a_correct_check_digit_is_an_id():
    assert found(f"身份证号{ID}", "id_card") == [ID]


WRONG = ID[:17] + str((int(ID[17]) + 1) % 10 if ID[17] != "X" else 0)


def test_a_number_with_a_wrong_check_digit_and_no_id_position_is_no_id():
    assert not is_resident_id18(WRONG)
    assert found(f"编号{WRONG}", "id_card") == []
    assert found(f"订单{WRONG}已发货", "id_card") == []


def test_a_number_after_an_id_cue_that_fails_the_check_is_shown_as_check_digit_mismatch():
    # issue 7: a number in an ID position is personal data even when its check digit is wrong
    for text in (f"身份证号{WRONG}", f"身份证号码：{WRONG}", f"公民身份号码 {WRONG}"):
        (f,) = [f for f in find_personal_data(text) if f.kind == "id_card"]
        assert f.text == WRONG and "校验位不符" in f.reason, text


def test_a_number_under_an_id_column_that_fails_the_check_is_shown_as_check_digit_mismatch():
    for table in (
        f"序号\t姓名\t身份证号\n1\t张三\t{WRONG}\n2\t李四\t{ID}",
        f"| 姓名 | 证件号码 |\n| 张三 | {WRONG} |",
    ):
        ids = {f.text: f.reason for f in find_personal_data(table) if f.kind == "id_card"}
        assert "校验位不符" in ids[WRONG], table
        assert ids.get(ID, "校验位正确的身份证号") == "校验位正确的身份证号"


def test_an_id_shaped_number_in_an_id_position_with_an_impossible_birth_date_is_flagged_too():
    impossible = "41010519851332" + "1234"  # month 13
    (f,) = find_personal_data(f"身份证号：{impossible}")
    assert f.kind == "id_card" and "不符" in f.reason


def test_the_masked_form_of_a_check_digit_mismatch_keeps_prefix_and_last_four():
    (f,) = find_personal_data(f"身份证号：{WRONG}")
    assert mask(f"身份证号：{WRONG}", [f]) == f"身份证号：{WRONG[:6]}********{WRONG[-4:]}"


def test_an_id_whose_check_character_is_x_is_found_in_either_case():
    first17 = next(f"4101051985031{n:04d}" for n in range(10000) if id_check_char(f"4101051985031{n:04d}") == "X")
    assert found(f"证件号码：{first17}X", "id_card") == [first17 + "X"]
    assert found(f"证件号码：{first17}x", "id_card") == [first17 + "x"]


def test_an_id_with_an_impossible_birth_date_is_not_an_id():
    assert found(valid_id("41010519851332123"), "id_card") == []  # month 13
    assert found(valid_id("41010530850312123"), "id_card") == []  # year 3085


def test_the_15_digit_old_id_is_found_when_its_date_is_plausible():
    assert found("旧身份证号410105850312123。", "id_card") == ["410105850312123"]
    assert found("编号410105851332123。", "id_card") == []


def test_an_id_right_after_chinese_text_is_found_no_word_boundary_needed():
    # \b does not fire between 号 and a digit; the engine does not rely on it
    assert found(f"身份证号{ID}男", "id_card") == [ID]


def test_an_id_inside_a_longer_number_is_not_an_id():
    assert found(f"编号9{ID}", "id_card") == []
    assert found(f"{ID}7", "id_card") == []
    assert found(f"A{ID}", "id_card") == []


def test_a_full_width_id_is_found_with_offsets_into_the_original():
    fw = ID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    text = f"身份证号：{fw}。"
    [f] = find_personal_data(text)
    assert (f.kind, f.text, text[f.start : f.end]) == ("id_card", fw, fw)


def test_a_unified_social_credit_code_is_not_an_id():
    text = "统一社会信用代码：91410100MA44XXXXXX，另一家为91410105MA9FXXXX2Q。"
    assert found(text) == []


def test_an_all_digit_credit_code_that_also_passes_the_id_check_is_left_alone_after_its_cue():
    # a collision needs both check characters to agree; the cue settles it
    both = next(c for n in range(1000) if is_uscc(c := valid_id(f"11010519850312{n:03d}")))
    assert is_resident_id18(both)
    assert found(f"统一社会信用代码：{both}", "id_card") == []
    assert found(f"身份证号：{both}", "id_card") == [both]


# --- 手机号码 ----------------------------------------------------------------


@pytest.mark.parametrize("written", ["13812345678", "138 1234 5678", "138-1234-5678", "19912345678"])
def test_a_mobile_is_found_however_it_is_grouped(written):
    assert kinds(f"手机{written}，") == [("mobile", written)]


def test_a_full_width_mobile_is_found_with_offsets_into_the_original():
    text = "联系电话：１３８１２３４５６７８（本人）"
    [f] = find_personal_data(text)
    assert f.kind == "mobile"
    assert (f.start, f.end) == (5, 16)
    assert text[f.start : f.end] == "１３８１２３４５６７８"


def test_eleven_digits_that_do_not_start_with_1_3_to_9_are_not_a_mobile():
    assert found("编号12812345678", "mobile") == []
    assert found("执法证号：44010023001", "mobile") == []


def test_a_mobile_glued_to_letters_or_digits_is_not_a_mobile():
    assert found("订单号A13812345678", "mobile") == []
    assert found("流水号138123456789", "mobile") == []


# --- 固定电话 ----------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["0371-65901234", "(0371)65901234", "（0371）65901234", "020－83334567", "010 12345678", "0371-65901234-801"],
)
def test_a_landline_with_an_area_code_is_found(written):
    assert kinds(f"电话：{written}。") == [("landline", written)]


def test_a_landline_without_area_code_is_found_only_after_a_phone_cue():
    assert kinds("（联系人：叶玉才，联系电话：83186312）") == [("person_name", "叶玉才"), ("landline", "83186312")]
    assert found("共计83186312元", "landline") == []


@pytest.mark.parametrize("hotline", ["12345", "12350", "8890", "110", "12315", "400-800-1234", "800-820-8820", "4008001234"])
def test_public_hotlines_and_400_800_numbers_are_not_personal(hotline):
    assert found(f"请拨打{hotline}热线咨询，服务电话{hotline}。") == []


# --- 银行卡号 ----------------------------------------------------------------


def test_a_luhn_valid_card_number_after_a_bank_cue_is_a_bank_card():
    assert luhn_ok(CARD)
    assert kinds(f"开户行：中国工商银行，卡号：{CARD}") == [("bank_card", CARD)]


def test_a_card_number_written_in_fours_is_found():
    spaced = " ".join(CARD[i : i + 4] for i in range(0, 19, 4))
    assert kinds(f"银行账号 {spaced}") == [("bank_card", spaced)]


def test_a_number_that_fails_luhn_is_not_a_bank_card():
    bad = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert found(f"卡号：{bad}", "bank_card") == []


def test_a_corporate_account_number_is_not_a_bank_card():
    # 21 digits, and 19-digit corporate accounts (3602…) do not start like a card
    assert found("账号：246257802931000123456") == []
    assert found("账号：3602000129200191234") == []


def test_a_number_in_a_column_headed_card_number_has_its_cue():
    text = f"姓名\t社会保障卡号\n张三\t{CARD}\n"
    assert ("bank_card", CARD) in kinds(text)


# --- 电子邮箱 ----------------------------------------------------------------


def test_an_email_does_not_swallow_the_chinese_before_it():
    assert kinds("请发送邮件至zhang.san_01@example.com.cn，谢谢") == [("email", "zhang.san_01@example.com.cn")]


def test_a_full_width_at_sign_is_read_as_at():
    assert found("邮箱：ｌｉｍｉｎｇ＠１６３．ｃｏｍ。", "email") == ["ｌｉｍｉｎｇ＠１６３．ｃｏｍ"]


def test_an_at_sign_without_a_domain_is_not_an_email():
    assert found("@所有人 请注意", "email") == []


# --- 车牌号 ------------------------------------------------------------------


@pytest.mark.parametrize("plate", ["豫A·D12345", "京AD12345", "粤B12345", "豫A·D1234", "豫A•12345", "豫A・12345", "豫A 12345", "粤B12345D"])
def test_plates_are_found_new_energy_and_dotted_ones_included(plate):
    assert kinds(f"驾驶{plate}号车辆") == [("license_plate", plate)]


def test_a_document_number_starting_with_a_province_is_not_a_plate():
    assert found("豫应急办〔2020〕62 号、豫政办〔2020〕5号") == []


# --- 姓名 --------------------------------------------------------------------


def test_a_name_after_a_cue_is_a_name():
    assert found("申请人张三于2024年3月5日提出申请。", "person_name") == ["张三"]
    assert found("联系人：叶玉才，电话", "person_name") == ["叶玉才"]


def test_compound_surnames_give_names_of_up_to_four_characters():
    assert found("当事人欧阳明月，女，", "person_name") == ["欧阳明月"]
    assert found("举报人：诸葛亮亮", "person_name") == ["诸葛亮亮"]


def test_a_list_of_names_after_a_cue_is_read_to_its_end():
    assert found("村民张三、李四、王五反映，", "person_name") == ["张三", "李四", "王五"]


def test_a_name_before_a_title_or_a_verb_of_driving_is_a_name():
    assert found("李建军驾驶豫A12345号小型轿车", "person_name") == ["李建军"]
    assert found("致王小明先生：", "person_name") == ["王小明"]
    assert found("经查，赵丽娟，女，1985年出生", "person_name") == ["赵丽娟"]


def test_names_in_a_table_column_headed_name_are_names():
    text = f"姓名\t身份证号\t住址\n王小明\t{ID}\t幸福小区3栋502室\n李四\t{ID}\t王庄村3组\n"
    assert found(text, "person_name") == ["王小明", "李四"]
    rows = "序号 | 户主姓名 | 金额\n1 | 张建国 | 1,200\n2 | 刘秀英 | 800\n"
    assert found(rows, "person_name") == ["张建国", "刘秀英"]


def test_a_name_found_once_is_found_everywhere_in_the_text():
    text = "当事人：郑海燕，女。经查，郑海燕于2024年1月驾驶车辆……郑海燕对此无异议。"
    assert found(text, "person_name") == ["郑海燕"] * 3


@pytest.mark.parametrize("masked", ["张某", "王某甲", "王某乙", "李某某", "赵*", "孙××", "欧阳某"])
def test_already_masked_names_are_not_findings(masked):
    assert found(f"申请人{masked}于2024年提出申请；当事人：{masked}，男。") == []


@pytest.mark.parametrize("place", ["张家口", "王府井", "黄河路", "高新区", "周口市", "常州", "金水区", "郑州"])
def test_places_starting_with_a_surname_are_not_names(place):
    assert found(f"{place}", "person_name") == []
    assert found(f"联系人：{place}，负责人{place}，当事人{place}。", "person_name") == []


def test_zhangjiakou_is_not_a_name():
    assert found("张家口市应急管理局联系人：张家口市应急管理局", "person_name") == []


def test_a_surname_only_reference_is_not_a_name():
    assert found("请向张女士咨询，王先生已到场。", "person_name") == []


def test_seed_004_contact_person_and_phone_are_found():
    text = "附件：广州市应急管理局 2022 年政务公开工作实施方案\n\n（联系人：叶玉才，联系电话：83186312）\n"
    assert kinds(text) == [("person_name", "叶玉才"), ("landline", "83186312")]


# --- 住址 --------------------------------------------------------------------


def test_a_full_address_down_to_the_room_is_one_finding():
    text = "住址：河南省郑州市金水区经三路12号院3号楼2单元501室。"
    assert kinds(text) == [("address", "河南省郑州市金水区经三路12号院3号楼2单元501室")]


@pytest.mark.parametrize("addr", ["王庄村3组", "李家村五组", "幸福小区3栋502室", "金水区丰庆路街道王庄村三组"])
def test_village_groups_and_estate_rooms_are_addresses(addr):
    assert found(f"家住{addr}，", "address") == [addr]


def test_an_address_that_stops_at_the_district_or_street_is_not_personal():
    assert found("住郑州市金水区，", "address") == []
    assert found("事故发生在郑州市高新区长椿路与科学大道交叉口。", "address") == []


def test_an_agency_address_down_to_the_number_is_flagged_for_the_publisher_to_keep():
    assert found("地址：郑州市金水区文化路86号，电话", "address") == ["郑州市金水区文化路86号"]


# --- hard negatives ------------------------------------------------------------


HARD_NEGATIVES = [
    "国办发〔2019〕54号",
    "豫应急办〔2020〕62 号",
    "2026年3月1日",
    "2026-03-01",
    "20260301",
    "12,345.67元",
    "5000万元",
    "统一社会信用代码91410100MA44XXXXXX",
    "增长12.5%",
    "www.gov.cn",
    "http://yjglj.gz.gov.cn/zwgk/2023/content_5460820123456789.html",
    "第十四条",
    "第15条",
    "邮政编码450000",
    "2023年",
    "合同编号ZZYJ-2023-0158",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_stay_untouched(text):
    assert find_personal_data(text) == []
    assert mask(text, find_personal_data(text)) == text


def test_the_seed_notices_hold_no_personal_data_but_the_contact_of_seed_004():
    seeds = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not seeds.is_dir():
        seeds = Path("/work/shared/seeds")
    if not seeds.is_dir():
        pytest.skip("shared/seeds not beside the repository")
    all_findings = {p.name[:3]: kinds(p.read_text(encoding="utf-8")) for p in sorted(seeds.glob("0*.txt"))}
    assert all_findings == {
        "000": [],
        "001": [],
        "002": [],
        "003": [],
        "004": [("person_name", "叶玉才"), ("landline", "83186312")],
    }


# --- masking -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        ("id_card", "410105198503121234", "410105********1234"),
        ("mobile", "13812345678", "138****5678"),
        ("mobile", "138 1234 5678", "138 **** 5678"),
        ("landline", "0371-65901234", "0371-******34"),
        ("landline", "（0371）65901234", "（0371）******34"),
        ("landline", "83186312", "******12"),
        ("bank_card", "6222020200112233446", "622202*********3446"),
        ("email", "zhangsan@example.com", "z***@example.com"),
        ("person_name", "王小明", "王某"),
        ("person_name", "欧阳明月", "欧阳某"),
        ("address", "河南省郑州市金水区经三路12号院3号楼2单元501室", "河南省郑州市金水区****"),
        ("address", "幸福小区3栋502室", "****"),
        ("license_plate", "豫A·D12345", "豫*·******"),
        ("license_plate", "京AD12345", "京*******"),
    ],
)
def test_mask_value_follows_the_policy_table(kind, value, masked):
    assert mask_value(kind, value) == masked


def test_mask_value_uses_an_alias_for_a_name():
    assert mask_value("person_name", "王小明", alias="王某乙") == "王某乙"


def test_mask_value_refuses_an_unknown_kind():
    with pytest.raises(ValueError):
        mask_value("passport", "E12345678")


def test_a_lone_person_of_a_surname_stays_wang_mou():
    text = "申请人王小明，联系人：李四。"
    assert mask(text, find_personal_data(text)) == "申请人王某，联系人：李某。"


def test_two_people_of_one_surname_become_wang_mou_jia_and_wang_mou_yi_consistently():
    text = "申请人王大明与王小明、欧阳明月。经查，王小明称王大明不知情。"
    masked = mask(text, find_personal_data(text))
    assert masked == "申请人王某甲与王某乙、欧阳某。经查，王某乙称王某甲不知情。"


def test_after_the_tenth_person_of_a_surname_aliases_go_on_with_numbers():
    people = ["王" + g for g in "一二三四五六七八九十"] + ["王十一", "王十二"]
    findings = [Finding("person_name", 3 * i, 3 * i + len(p), p, 0.9, "test") for i, p in enumerate(people)]
    aliases = name_aliases(findings)
    assert [aliases[p] for p in people] == [f"王某{s}" for s in "甲乙丙丁戊己庚辛壬癸"] + ["王某11", "王某12"]


def test_mask_replaces_every_kind_in_one_text():
    text = (
        f"当事人：张三，身份证号{ID}，手机13812345678，电话0371-65901234，"
        f"卡号{CARD}，邮箱zhangsan@example.com，住址河南省郑州市金水区经三路12号院3号楼2单元501室，"
        "驾驶豫A·D12345号车辆。"
    )
    findings = find_personal_data(text)
    assert sorted({f.kind for f in findings}) == sorted(KINDS)
    assert mask(text, findings) == (
        f"当事人：张某，身份证号{ID[:6]}********{ID[-4:]}，手机138****5678，电话0371-******34，"
        "卡号622202*********3446，邮箱z***@example.com，住址河南省郑州市金水区****，"
        "驾驶豫*·******号车辆。"
    )


def test_mask_refuses_a_finding_that_does_not_match_the_text():
    with pytest.raises(ValueError):
        mask("申请人张三", [Finding("person_name", 3, 5, "李四", 0.9, "stale")])


def test_masking_a_masked_text_changes_nothing():
    text = "申请人王大明与王小明，手机13812345678，住址河南省郑州市金水区经三路12号院3号楼2单元501室。"
    once = mask(text, find_personal_data(text))
    assert mask(once, find_personal_data(once)) == once
    assert find_personal_data(once) == []
