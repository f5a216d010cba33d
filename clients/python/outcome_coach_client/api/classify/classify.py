from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.classify_request import ClassifyRequest
from ...models.classify_response import ClassifyResponse
from ...models.problem import Problem
from ...models.render_mode import RenderMode
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ClassifyRequest,
    render: None | RenderMode | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

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
        "url": "/v1/classify",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ClassifyResponse | Problem | None:
    if response.status_code == 200:
        response_200 = ClassifyResponse.from_dict(response.json())

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
) -> Response[ClassifyResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ClassifyRequest,
    render: None | RenderMode | Unset = UNSET,
) -> Response[ClassifyResponse | Problem]:
    """Classify statements as outputs or outcomes

     Each statement comes back with its label, a calibrated confidence, the reason, and the examples and
    guidance it resembles (with citations). `needs_clarification` marks the ones the coach would ask
    about.

    The label is `none` when the text is not a statement about work (`none_kind`: gibberish, small_talk,
    question or command); `language` is set, and the coach asks, when a statement is not in English. The
    caller's team's corrections and examples apply (and no other team's).

    Args:
        render (None | RenderMode | Unset): Also render the reply for a channel: `slack` adds
            `blocks` (Block Kit within Slack's limits: 50 blocks, 3,000 characters per text; every
            button's `value` is exactly the text to send back as the next message) and `fallback` (the
            notification text); `markdown` adds `mrkdwn` (one Slack-flavoured text for bots that post
            plain messages). Without it, neither is sent.
        body (ClassifyRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClassifyResponse | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        render=render,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ClassifyRequest,
    render: None | RenderMode | Unset = UNSET,
) -> ClassifyResponse | Problem | None:
    """Classify statements as outputs or outcomes

     Each statement comes back with its label, a calibrated confidence, the reason, and the examples and
    guidance it resembles (with citations). `needs_clarification` marks the ones the coach would ask
    about.

    The label is `none` when the text is not a statement about work (`none_kind`: gibberish, small_talk,
    question or command); `language` is set, and the coach asks, when a statement is not in English. The
    caller's team's corrections and examples apply (and no other team's).

    Args:
        render (None | RenderMode | Unset): Also render the reply for a channel: `slack` adds
            `blocks` (Block Kit within Slack's limits: 50 blocks, 3,000 characters per text; every
            button's `value` is exactly the text to send back as the next message) and `fallback` (the
            notification text); `markdown` adds `mrkdwn` (one Slack-flavoured text for bots that post
            plain messages). Without it, neither is sent.
        body (ClassifyRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClassifyResponse | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        render=render,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ClassifyRequest,
    render: None | RenderMode | Unset = UNSET,
) -> Response[ClassifyResponse | Problem]:
    """Classify statements as outputs or outcomes

     Each statement comes back with its label, a calibrated confidence, the reason, and the examples and
    guidance it resembles (with citations). `needs_clarification` marks the ones the coach would ask
    about.

    The label is `none` when the text is not a statement about work (`none_kind`: gibberish, small_talk,
    question or command); `language` is set, and the coach asks, when a statement is not in English. The
    caller's team's corrections and examples apply (and no other team's).

    Args:
        render (None | RenderMode | Unset): Also render the reply for a channel: `slack` adds
            `blocks` (Block Kit within Slack's limits: 50 blocks, 3,000 characters per text; every
            button's `value` is exactly the text to send back as the next message) and `fallback` (the
            notification text); `markdown` adds `mrkdwn` (one Slack-flavoured text for bots that post
            plain messages). Without it, neither is sent.
        body (ClassifyRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClassifyResponse | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        render=render,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ClassifyRequest,
    render: None | RenderMode | Unset = UNSET,
) -> ClassifyResponse | Problem | None:
    """Classify statements as outputs or outcomes

     Each statement comes back with its label, a calibrated confidence, the reason, and the examples and
    guidance it resembles (with citations). `needs_clarification` marks the ones the coach would ask
    about.

    The label is `none` when the text is not a statement about work (`none_kind`: gibberish, small_talk,
    question or command); `language` is set, and the coach asks, when a statement is not in English. The
    caller's team's corrections and examples apply (and no other team's).

    Args:
        render (None | RenderMode | Unset): Also render the reply for a channel: `slack` adds
            `blocks` (Block Kit within Slack's limits: 50 blocks, 3,000 characters per text; every
            button's `value` is exactly the text to send back as the next message) and `fallback` (the
            notification text); `markdown` adds `mrkdwn` (one Slack-flavoured text for bots that post
            plain messages). Without it, neither is sent.
        body (ClassifyRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClassifyResponse | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            render=render,
        )
    ).parsed
