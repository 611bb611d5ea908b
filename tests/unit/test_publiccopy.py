"""publiccopy.mask_lines: the 附件说明 is reviewed as one "\n"-joined scan text and comes back
masked line by line, each line in its place (the .docx and the portal number the 附件 by it)."""

from webapp.publiccopy import find_in_fields, mask_lines, replacement_texts

LINES = ["张三同志先进事迹材料", "联系人：王小明，电话：13812345678", "工作方案"]


def test_each_line_keeps_its_place_and_the_engines_findings_are_masked():
    found = find_in_fields({"attachments_text": "\n".join(LINES)})
    reps = replacement_texts(found)
    masked = mask_lines(LINES, [(f.start, f.end, reps[f]) for f in found])
    assert masked == ["张某同志先进事迹材料", "联系人：王某，电话：138****5678", "工作方案"]


def test_a_replacement_across_a_line_break_is_written_once_and_keeps_the_lines():
    text = "\n".join(LINES)
    start, end = text.index("材料"), text.index("王小明")  # a hand-marked span over the break
    assert mask_lines(LINES, [(start, end, "××")]) == ["张三同志先进事迹××", "王小明，电话：13812345678", "工作方案"]


def test_no_lines_and_no_replacements():
    assert mask_lines([], []) == []
    assert mask_lines(LINES, []) == LINES
