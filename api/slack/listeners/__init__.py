"""Slack listeners, one module per kind of request; each exposes `register(app, service)`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from api.slack.coaching import SlackCoach
from api.slack.listeners import actions, commands, events
from coach.service import CoachService


def register(app: AsyncApp, service: CoachService) -> None:
    coach = SlackCoach(service)
    commands.register(app, coach)
    events.register(app, coach)
    actions.register(app, coach)
