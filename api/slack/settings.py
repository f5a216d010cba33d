"""Slack's settings belong to the Slack channel: COACH_SLACK_SIGNING_SECRET, COACH_SLACK_BOT_TOKEN and (for
tests or a proxy) COACH_SLACK_API_BASE_URL, from the environment or `.env`."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SlackSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COACH_SLACK_", env_file=".env", extra="ignore")

    signing_secret: SecretStr | None = None
    bot_token: SecretStr | None = None
    api_base_url: str | None = None

    def missing(self) -> list[str]:
        """The COACH_SLACK_* variables that are unset or empty."""
        wanted = {"COACH_SLACK_SIGNING_SECRET": self.signing_secret, "COACH_SLACK_BOT_TOKEN": self.bot_token}
        return [name for name, value in wanted.items() if value is None or not value.get_secret_value().strip()]
