"""The coaching conversation, pure (no I/O): reply acts → moves → a plan of lines, a question and typed needs."""
