"""The innovation survey (创新调查): rounds, their drawn samples, the enterprises' responses, the estimates."""
