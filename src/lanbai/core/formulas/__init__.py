"""The formula language for derived indicators: parse, check units and references, compile to SQL.

See :mod:`lanbai.core.formulas.parser` for the grammar and :mod:`lanbai.core.formulas.compile`
for the evaluation model and the "not computable" policy.
"""

from .compile import (
    CompiledFormula,
    FieldSpec,
    FormulaSet,
    FormulaSetError,
    FormulaSpec,
    InputSpec,
    check_formulas,
    compile_formulas,
)
from .errors import FormulaError
from .evaluate import NOT_COMPUTABLE, evaluate, evaluation_sql
from .parser import parse
from .units import Unit, parse_unit

__all__ = [
    "NOT_COMPUTABLE",
    "CompiledFormula",
    "FieldSpec",
    "FormulaError",
    "FormulaSet",
    "FormulaSetError",
    "FormulaSpec",
    "InputSpec",
    "Unit",
    "check_formulas",
    "compile_formulas",
    "evaluate",
    "evaluation_sql",
    "parse",
    "parse_unit",
]
