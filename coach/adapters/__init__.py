"""Adapters: the outside world (model, vector store, database, LLM) behind the ports of coach.ports."""
