"""Write the malformed-export corpus into tests/security/fixtures/exports/ (commit the result).

    .venv/bin/python tests/security/make_malformed_exports.py

Each file is a cases export of the standard intake format (adapter 352152_shunan, UTF-8, ISO dates) or,
when its name starts with `kudamatsu_`, of 下松市's ledger (CP932, era dates). The outcome expected of
each file is in test_malformed_exports.py. Files of a megabyte or more are made by the test itself.
"""

import csv
import io
import random
from pathlib import Path

OUT = Path(__file__).parent / "fixtures" / "exports"
HEADER = ("case_number,received,category,status,decline_reason,closed,town,latitude,longitude,description,"
          "referred_to_code,reporter_name")
GOOD = ["A-1,2025-04-10,pothole,completed,,2025-04-12,久米,34.05,131.80,穴があいている,,山田太郎",
        "A-2,2025-04-11,weeding,received,,,熊毛,34.02,131.81,草が伸びている,,"]
KUDAMATSU_HEADER = ("受付番号,受付日,分類,受付方法,道路種別,処理状況,初動日,処理日,処理内容,不可理由,回付先,"
                    "回付先コード,再要望,重複元受付番号,地区,緯度,経度,要望内容,処理メモ,通報者氏名,電話番号,住所")
KUDAMATSU_ROW = ("K-{n},{date},穴ぼこ,電話,市道,受付,,,,,,,,,豊井,34.03,131.91,穴があいている,,"
                 "佐藤 由美,0833-60-8776,豊井1丁目")


def _csv(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def _row(number: str, **cells: str) -> str:
    values = dict(zip(HEADER.split(","), GOOD[0].split(","), strict=True))
    values.update(case_number=number, **cells)
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values.values())
    return out.getvalue()


def _kudamatsu(*dates: str) -> bytes:
    rows = [KUDAMATSU_ROW.format(n=i, date=d) for i, d in enumerate(dates, start=1)]
    return _csv(KUDAMATSU_HEADER, *rows).encode("cp932")


def files() -> dict[str, bytes]:
    """File name -> exact bytes of every corpus file."""
    rng = random.Random(20260405)
    utf8 = _csv(HEADER, *GOOD)
    junk = bytes(b for b in rng.randbytes(4096) if b != 0)
    corpus: dict[str, bytes | str] = {
        # encodings
        "bom_utf8.csv": b"\xef\xbb\xbf" + utf8.encode(),
        "bom_only.csv": b"\xef\xbb\xbf",
        "utf16le_bom.csv": utf8.encode("utf-16"),
        "cp932_declared_utf8.csv": utf8.encode("cp932"),
        "mixed_utf8_with_cp932_row.csv": utf8.encode() + _row("A-3", description="穴が深い").encode("cp932") + b"\n",
        "kudamatsu_utf8_declared_cp932.csv": _kudamatsu("令和7年4月10日").decode("cp932").encode(),
        "kudamatsu_mixed_cp932_with_utf8_row.csv": _kudamatsu("令和7年4月10日")
        + KUDAMATSU_ROW.format(n=9, date="令和7年4月11日").encode() + b"\n",
        # a character cut off by the end of the file, or by a line cut to a byte length
        "utf8_cut_off_at_the_end.csv": utf8.encode()[: -len("ている,,\n".encode()) - 1],
        "utf8_line_cut_mid_character.csv": _csv(HEADER, GOOD[1]).encode()
        + GOOD[0].encode()[: GOOD[0].encode().index("穴".encode()) + 2] + b"\n" + GOOD[1].encode() + b"\n",
        # dates
        "time_of_day_after_midnight.csv": _csv(HEADER, _row("T-1", received="2025-04-10 25:30"),
                                               _row("T-2", received="2025-04-10 30:00")),
        "kudamatsu_era_out_of_range.csv": _kudamatsu("令和7年4月10日", "令和0年4月1日", "平成32年1月1日",
                                                     "平成31年5月1日", "昭和65年1月1日", "令和99年4月1日"),
        "kudamatsu_fullwidth_and_letter_eras.csv": _kudamatsu("令和７年４月１０日", "R7.4.11", "Ｒ０７／０４／１２",
                                                              "令和元年5月1日"),
        "excel_dates.csv": _csv(HEADER, _row("E-1", received="2025/4/10 0:00"), _row("E-2", received="45757"),
                                _row("E-3", received="10-Apr-25"), _row("E-4", received="2025-04-10T09:30:00")),
        # numbers and codes mangled by a spreadsheet
        "fullwidth_numbers.csv": _csv(HEADER, _row("Ｆ－１", received="２０２５－０４－１０", latitude="３４．０５",
                                                   longitude="１３１．８０", referred_to_code="３５２１５２")),
        "excel_codes.csv": _csv(HEADER, _row("X-1", referred_to_code="35215"),
                                _row("X-2", referred_to_code="3.52152E+05"),
                                _row("X-3", referred_to_code="352152.0"),
                                _row("X-4", referred_to_code="11002"),
                                _row("X-5", referred_to_code="99999x")),
        "excel_exponent_case_numbers.csv": _csv(HEADER, _row("2.02504E+11"), _row("2.02504E+11", received="2025-04-11"),
                                                _row("202504100003")),
        # columns and rows
        "missing_required_column.csv": _csv("case_number,received,status", "A-1,2025-04-10,received"),
        "extra_columns.csv": _csv(HEADER + ",memo,reporter_mynumber",
                                  GOOD[0] + ",内部メモ,123456789012", GOOD[1] + ",,"),
        "row_with_extra_field.csv": _csv(HEADER, GOOD[0], GOOD[1] + ",surplus"),
        "first_row_with_extra_field.csv": _csv(HEADER, GOOD[0].replace("穴があいている", "穴が,深い"), GOOD[1]),
        "trailing_delimiter_every_row.csv": _csv(HEADER, GOOD[0] + ",", GOOD[1] + ","),
        "row_with_missing_fields.csv": _csv(HEADER, GOOD[0], "A-2,2025-04-11,weeding"),
        "duplicate_ids.csv": _csv(HEADER, GOOD[0], GOOD[0].replace("2025-04-10", "2025-04-11")),
        "swapped_lat_lon.csv": _csv(HEADER, _row("S-1", latitude="131.80", longitude="34.05")),
        "outside_japan.csv": _csv(HEADER, GOOD[0], _row("O-1", latitude="0", longitude="0"),
                                  _row("O-2", latitude="51.5", longitude="-0.12")),
        "duplicate_header.csv": _csv(HEADER + ",status", GOOD[0] + ",completed"),
        "fullwidth_header.csv": _csv(HEADER.replace("case_number", "ｃａｓｅ＿ｎｕｍｂｅｒ"), *GOOD),
        # empty and junk
        "empty.csv": b"",
        "whitespace_only.csv": b" \n\t\n\n",
        "header_only.csv": (HEADER + "\n").encode(),
        "blank_lines_and_crlf.csv": _csv(HEADER, "", GOOD[0], "", "", GOOD[1], "").replace("\n", "\r\n").encode(),
        "bare_cr_line_ends.csv": _csv(HEADER, *GOOD).replace("\n", "\r").encode(),
        "binary_junk.csv": junk,
        "png_named_csv.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + junk[:200],
        "xlsx_named_csv.csv": b"PK\x03\x04\x14\x00\x06\x00" + junk[:200],
        "nul_after_first_block.csv": utf8.encode() + b"B-1,2025-04-10,pothole,received,,," + b"x" * 5000
        + b"\x00\x00,,,,,\n",
        # quoting and delimiters
        "unclosed_quote.csv": _csv(HEADER, GOOD[0], '"A-2,2025-04-11,weeding,received', GOOD[1]),
        "stray_quote_inside_field.csv": _csv(HEADER, _row("Q-1", description='穴の深さ5"くらい')),
        "semicolon_delimited.csv": _csv(HEADER.replace(",", ";"), GOOD[0].replace(",", ";")),
        "tab_delimited.csv": _csv(HEADER.replace(",", "\t"), GOOD[0].replace(",", "\t")),
        # formula cells and hostile text
        "formula_cells.csv": _csv(HEADER, _row("=1+1", description='=HYPERLINK("http://evil.invalid","詳細")'),
                                  _row("F-2", description="＝cmd|' /C calc'!A0", town="@SUM(1+1)")),
        "control_and_bidi_characters.csv": _csv(HEADER, _row("C-1", description="穴\u202eがある\u200b\x07です")),
    }
    return {name: data.encode() if isinstance(data, str) else data for name, data in corpus.items()}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.csv"):
        old.unlink()
    for name, data in sorted(files().items()):
        (OUT / name).write_bytes(data)
    print(f"{len(files())} files written to {OUT}")


if __name__ == "__main__":
    main()
