from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.correction_in import CorrectionIn
from ...models.correction_out import CorrectionOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: CorrectionIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/corrections",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CorrectionOut | Problem | None:
    if response.status_code == 201:
        response_201 = CorrectionOut.from_dict(response.json())

        return response_201

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
) -> Response[CorrectionOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CorrectionIn,
) -> Response[CorrectionOut | Problem]:
    """Record that a statement is an output or an outcome

     For the caller's team: applies to identical (and nearly identical) text at once, and to the team's
    own
    model at its next training; other teams are not affected unless an administrator promotes it. Needs
    an api
    or trainer key (corrections made in a conversation, from the widget or Slack, are recorded for
    review).

    Args:
        body (CorrectionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CorrectionOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CorrectionIn,
) -> CorrectionOut | Problem | None:
    """Record that a statement is an output or an outcome

     For the caller's team: applies to identical (and nearly identical) text at once, and to the team's
    own
    model at its next training; other teams are not affected unless an administrator promotes it. Needs
    an api
    or trainer key (corrections made in a conversation, from the widget or Slack, are recorded for
    review).

    Args:
        body (CorrectionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CorrectionOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CorrectionIn,
) -> Response[CorrectionOut | Problem]:
    """Record that a statement is an output or an outcome

     For the caller's team: applies to identical (and nearly identical) text at once, and to the team's
    own
    model at its next training; other teams are not affected unless an administrator promotes it. Needs
    an api
    or trainer key (corrections made in a conversation, from the widget or Slack, are recorded for
    review).

    Args:
        body (CorrectionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CorrectionOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CorrectionIn,
) -> CorrectionOut | Problem | None:
    """Record that a statement is an output or an outcome

     For the caller's team: applies to identical (and nearly identical) text at once, and to the team's
    own
    model at its next training; other teams are not affected unless an administrator promotes it. Needs
    an api
    or trainer key (corrections made in a conversation, from the widget or Slack, are recorded for
    review).

    Args:
        body (CorrectionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CorrectionOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
