from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.message_in import MessageIn
from ...models.problem import Problem
from ...models.render_mode import RenderMode
from ...models.turn_out import TurnOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    session_id: str,
    *,
    body: MessageIn,
    render: None | RenderMode | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    json_render: None | str | Unset
    if isinstance(render, Unset):
        json_render = UNSET
    elif isinstance(render, str):
        json_render = render
    else:
        json_render = render
    params["render"] = json_render

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sessions/{session_id}/messages".format(
            session_id=quote(str(session_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TurnOut | None:
    if response.status_code == 200:
        response_200 = TurnOut.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | TurnOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    session_id: str,
    *,
    client: AuthenticatedClient,
    body: MessageIn,
    render: None | RenderMode | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | TurnOut]:
    """Send a message; get the coach's reply

    Args:
        session_id (str):
        render (None | RenderMode | Unset): Also render the reply for a channel: `slack` adds
            `blocks` (Block Kit within Slack's limits: 50 blocks, 3,000 characters per text; every
            button's `value` is exactly the text to send back as the next message) and `fallback` (the
            notification text); `markdown` adds `mrkdwn` (one Slack-flavoured text for bots that post
            plain messages). Without it, neither is sent.
        idempotency_key (None | str | Unset): Any unique string per message: a retry with the same
            key returns the first reply, so a turn is never recorded twice.
        body (MessageIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TurnOut]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        body=body,
        render=render,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    session_id: str,
    *,
    client: AuthenticatedClient,
    body: MessageIn,
    render: None | RenderMode | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | TurnOut | None:
    """Send a message; get the coach's reply

    Args:
        session_id (str):
        render (None | RenderMode | Unset): Also render the reply for a channel: `slack` adds
            `blocks` (Block Kit within Slack's limits: 50 blocks, 3,000 characters per text; every
            button's `value` is exactly the text to send back as the next message) and `fallback` (the
            notification text); `markdown` adds `mrkdwn` (one Slack-flavoured text for bots that post
            plain messages). Without it, neither is sent.
        idempotency_key (None | str | Unset): Any unique string per message: a retry with the same
            key returns the first reply, so a turn is never recorded twice.
        body (MessageIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TurnOut
    """

    return sync_detailed(
        session_id=session_id,
        client=client,
        body=body,
        render=render,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    session_id: str,
    *,
    client: AuthenticatedClient,
    body: MessageIn,
    render: None | RenderMode | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | TurnOut]:
    """Send a message; get the coach's reply

    Args:
        session_id (str):
        render (None | RenderMode | Unset): Also render the reply for a channel: `slack` adds
            `blocks` (Block Kit within Slack's limits: 50 blocks, 3,000 characters per text; every
            button's `value` is exactly the text to send back as the next message) and `fallback` (the
            notification text); `markdown` adds `mrkdwn` (one Slack-flavoured text for bots that post
            plain messages). Without it, neither is sent.
        idempotency_key (None | str | Unset): Any unique string per message: a retry with the same
            key returns the first reply, so a turn is never recorded twice.
        body (MessageIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TurnOut]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        body=body,
        render=render,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    session_id: str,
    *,
    client: AuthenticatedClient,
    body: MessageIn,
    render: None | RenderMode | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | TurnOut | None:
    """Send a message; get the coach's reply

    Args:
        session_id (str):
        render (None | RenderMode | Unset): Also render the reply for a channel: `slack` adds
            `blocks` (Block Kit within Slack's limits: 50 blocks, 3,000 characters per text; every
            button's `value` is exactly the text to send back as the next message) and `fallback` (the
            notification text); `markdown` adds `mrkdwn` (one Slack-flavoured text for bots that post
            plain messages). Without it, neither is sent.
        idempotency_key (None | str | Unset): Any unique string per message: a retry with the same
            key returns the first reply, so a turn is never recorded twice.
        body (MessageIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TurnOut
    """

    return (
        await asyncio_detailed(
            session_id=session_id,
            client=client,
            body=body,
            render=render,
            idempotency_key=idempotency_key,
        )
    ).parsed
