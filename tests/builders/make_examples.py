"""Write the Word and Excel examples in the printed form layout:

    examples/clean.docx   examples/clean.xlsx    a small, correct project table
    examples/faulty.docx  examples/faulty.xlsx   the same kind of table with typical mistakes

Run from the repository root:  .venv/bin/python tests/builders/make_examples.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from builders.docx_form import write_docx  # noqa: E402
from builders.xlsx_form import write_xlsx  # noqa: E402
from goallint.model import Budget, Document, IndicatorRow, Location, Table  # noqa: E402
from goallint.units import quantity  # noqa: E402

DEPARTMENT = ("573301", "中国国际贸易促进委员会天津市分会")


def table(number, title, project, total, fiscal, other, purpose, goals, rows) -> Table:
    def amount(x):
        return None if x is None else quantity(x, "wan_yuan")

    return Table(
        number=number,
        title=title,
        department_code=DEPARTMENT[0],
        department_name=DEPARTMENT[1],
        unit="万元",
        project=project,
        budget=Budget(total=amount(total), fiscal=amount(fiscal), other=amount(other)),
        purpose=purpose,
        goals=goals,
        rows=[
            IndicatorRow(level1=a, level2=b, level3=c, description=d, value=v, location=Location(file="example", row=i))
            for i, (a, b, c, d, v) in enumerate(rows, 1)
        ],
        location=Location(file="example", table=1),
    )


CLEAN = table(
    1,
    "信息化运维项目绩效目标表",
    "信息化运维项目",
    12.00,
    12.00,
    None,
    "机房网络、安全设备、服务器及应用系统的运行维护。",
    [
        "确保机房网络、安全、服务器以及操作系统全年无阻碍运行，运维周期为2024年1月1日至2024年12月31日。",
        "确保门户网站网络安全，全年不发生网络安全事件。",
    ],
    [
        ("产出指标", "数量指标", "硬件维护数量", "维护的服务器、交换机等硬件设备数量", "≥17台"),
        ("产出指标", "质量指标", "系统故障率", "全年系统故障时间占运行时间的比例", "≤5%"),
        ("产出指标", "时效指标", "故障修复时间", "发现故障到修复完成的时间", "≤4小时"),
        ("产出指标", "时效指标", "运维完成时间", "全年运维工作完成时间", "2024年12月底前完成"),
        ("产出指标", "成本指标", "硬件设备维保费", "硬件设备维保费用", "≤2.5万元"),
        ("产出指标", "成本指标", "软件系统维保费", "软件应用系统维保费用", "≤4.5万元"),
        ("产出指标", "成本指标", "等级保护测评费", "安全等级保护测评费用", "≤5万元"),
        ("效益指标", "社会效益指标", "门户网站访问量", "门户网站全年访问量", "≥39万次"),
        ("效益指标", "可持续影响指标", "系统正常使用年限", "系统正常使用年限", "≥1年"),
        ("满意度指标", "服务对象满意度指标", "使用人员满意度", "机关使用人员满意度调查结果", "≥95%"),
    ],
)

# Mistakes on purpose: satisfaction with an upper bound (≤90%), a cost above the whole budget
# (≥630万元, and ≥ on a cost), the look-alike comparator ≧, a deadline in the previous year,
# 财政资金 + 其他资金 ≠ 预算数, a vague value (较好).
FAULTY = table(
    2,
    "国际贸易投资博览会（2024年）绩效目标表",
    "国际贸易投资博览会",
    91.84,
    80.00,
    2.00,
    "博览会场地租赁、布展及宣传费用。",
    ["举办国际贸易投资博览会，促进贸易投资合作。", "2024年度内完成博览会的组织和总结。"],
    [
        ("产出指标", "数量指标", "参展企业数量", "参展企业数量", "不少于300家"),
        ("产出指标", "数量指标", "配套活动场次", "配套论坛、对接会场次", "≧2次"),
        ("产出指标", "质量指标", "展会组织质量", "展会组织质量", "较好"),
        ("产出指标", "时效指标", "展会举办时间", "展会举办时间", "2023年10月底前完成"),
        ("产出指标", "成本指标", "场地租赁费", "场地租赁费用", "≥630万元"),
        ("效益指标", "社会效益指标", "媒体报道数量", "媒体报道数量", "≥20篇"),
        ("满意度指标", "服务对象满意度指标", "参展企业满意度", "参展企业满意度", "≤90%"),
    ],
)


def main() -> None:
    examples = ROOT / "examples"
    examples.mkdir(exist_ok=True)
    for name, t in (("clean", CLEAN), ("faulty", FAULTY)):
        document = Document(path=f"{name}", format="example", tables=[t])
        write_docx(document, examples / f"{name}.docx")
        write_xlsx(document, examples / f"{name}.xlsx")
        print(f"wrote examples/{name}.docx, examples/{name}.xlsx")


if __name__ == "__main__":
    main()
