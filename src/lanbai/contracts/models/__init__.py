from .register import ContractHistory, RegistrationSequence, TechContract

__all__ = ["ContractHistory", "RegistrationSequence", "TechContract"]
