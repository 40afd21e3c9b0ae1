"""大型科研仪器开放共享: the instrument register, bookings, usage records and annual sharing figures."""
