"""技术合同认定登记: the register of technology contracts and the 技术合同成交额 computed from it."""
