"""The innovation survey (创新调查): sample design and design-based estimation (pure, vectorised).

Method (docs/survey.md): a census of enterprises above a size threshold and a stratified simple random
sample below it (strata: zone × size band), inclusion probabilities kept with the sample; unit
non-response adjusted by re-weighting within strata (respondents represent the stratum's
non-respondents, the usual adjustment of the Eurostat CIS and the national enterprise innovation
survey); totals, means and proportions with their standard errors from the stratified design and
95 % confidence intervals.
"""

from .design import SampleDesign, design_from_data, select_sample
from .estimation import Estimate, estimate, estimate_by_domain, response_weights

__all__ = ["Estimate", "SampleDesign", "design_from_data", "estimate", "estimate_by_domain", "response_weights", "select_sample"]
