"""Channels: HTTP API, Slack app, web widget and CLI. They all drive coach.service.CoachService."""
