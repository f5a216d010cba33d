from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.thread_out import ThreadOut
from ...types import Response


def _get_kwargs(
    external_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/threads/{external_id}".format(
            external_id=quote(str(external_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ThreadOut | None:
    if response.status_code == 200:
        response_200 = ThreadOut.from_dict(response.json())

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
) -> Response[Problem | ThreadOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    external_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | ThreadOut]:
    """The session of a bot's thread, if it has one

     Whether the coach is part of this thread (404 if not): a bot can ignore thread replies it was never
    asked into.

    Args:
        external_id (str): Any id the bot chooses for its conversation, 1-200 characters: letters,
            digits and . _ : - @ + = ~. Slack: `slack:<team>:<channel>:<thread ts>`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ThreadOut]
    """

    kwargs = _get_kwargs(
        external_id=external_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    external_id: str,
    *,
    client: AuthenticatedClient,
) -> Problem | ThreadOut | None:
    """The session of a bot's thread, if it has one

     Whether the coach is part of this thread (404 if not): a bot can ignore thread replies it was never
    asked into.

    Args:
        external_id (str): Any id the bot chooses for its conversation, 1-200 characters: letters,
            digits and . _ : - @ + = ~. Slack: `slack:<team>:<channel>:<thread ts>`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ThreadOut
    """

    return sync_detailed(
        external_id=external_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    external_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | ThreadOut]:
    """The session of a bot's thread, if it has one

     Whether the coach is part of this thread (404 if not): a bot can ignore thread replies it was never
    asked into.

    Args:
        external_id (str): Any id the bot chooses for its conversation, 1-200 characters: letters,
            digits and . _ : - @ + = ~. Slack: `slack:<team>:<channel>:<thread ts>`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ThreadOut]
    """

    kwargs = _get_kwargs(
        external_id=external_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    external_id: str,
    *,
    client: AuthenticatedClient,
) -> Problem | ThreadOut | None:
    """The session of a bot's thread, if it has one

     Whether the coach is part of this thread (404 if not): a bot can ignore thread replies it was never
    asked into.

    Args:
        external_id (str): Any id the bot chooses for its conversation, 1-200 characters: letters,
            digits and . _ : - @ + = ~. Slack: `slack:<team>:<channel>:<thread ts>`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ThreadOut
    """

    return (
        await asyncio_detailed(
            external_id=external_id,
            client=client,
        )
    ).parsed
