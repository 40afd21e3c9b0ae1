"""Models of the registry app."""

from .registries import Alliance as Alliance
from .registries import Candidate as Candidate
from .registries import Cluster as Cluster
from .registries import EnterpriseProfile as EnterpriseProfile
from .registries import Incubator as Incubator
from .registries import RdPlatform as RdPlatform
from .registries import Recognition as Recognition

__all__ = ["Alliance", "Candidate", "Cluster", "EnterpriseProfile", "Incubator", "RdPlatform", "Recognition"]
