"""Rendering a coach turn for a channel: Slack Block Kit (`slack`), Slack mrkdwn text (`markdown`), and the
HTTP side of both (`http`: the `render` query parameter and the fields it adds). Pure functions, no I/O.

One renderer for every Slack surface: our own Slack app (api/slack) and teams' own bots on the HTTP API
(`?render=slack|markdown`) get the same blocks for the same reply.
"""
