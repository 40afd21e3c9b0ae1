"""Generate lanbai_synthetic.csv: SYNTHETIC long data for the Lanbai framework (tests and CLI demo only).

兰州新区 2014 values and 2020 targets are the plan's 附件1; the pilot zone's are 专栏1; the other zones are
scaled copies.  Years in between follow a geometric path with deterministic noise; one value is left
missing on purpose (locf imputation).  Not real statistics.
"""

from pathlib import Path

import numpy as np
import pandas as pd

START_END = {  # indicator: (2014, 2020) — 兰州新区 from 附件1, others invented where the plan gives none
    "grp": (96.4, 500),
    "rd_intensity": (1.7, 2.5),
    "fiscal_st_share": (0.3, 3.0),
    "hightech_va_share": (9.6, 57),
    "emerging_va_share_gdp": (6.7, 37),
    "hightech_labour_productivity": (4.5, 44),
    "rd_personnel_per_10k": (30, 80),
    "invention_patents_per_10k": (2.3, 5),
    "tech_contract_turnover": (5, 20),
    "energy_per_10k_gdp": (1.71, 1.39),
    "rd_platforms": (40, 120),
    "alliances": (10, 40),
    "incubators": (5, 15),
}
ZONES = {"lzxq": 1.0, "lzgx": 1.6, "lzjj": 0.8, "bygx": 0.6}  # organisation.yaml codes


def main() -> None:
    rng = np.random.default_rng(2014)
    rows = []
    for z, f in ZONES.items():
        for ind, (a, b) in START_END.items():
            g = (b / a) ** (1 / 6)
            for k, year in enumerate(range(2014, 2021)):
                v = a * (f if ind in ("grp", "rd_platforms", "tech_contract_turnover") else f**0.3) * g**k
                v *= 1 + (0 if k == 0 else rng.normal(0, 0.03))
                rows.append({"unit": z, "year": year, "indicator": ind, "value": round(float(v), 4)})
    df = pd.DataFrame(rows)
    df = df[~((df.unit == "bygx") & (df.year == 2017) & (df.indicator == "alliances"))]
    df.to_csv(Path(__file__).with_name("lanbai_synthetic.csv"), index=False)


if __name__ == "__main__":
    main()
