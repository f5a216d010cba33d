from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.correction_list import CorrectionList
from ...models.list_corrections_status_type_0 import (
    ListCorrectionsStatusType0,
)
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListCorrectionsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, str):
        json_status = status
    else:
        json_status = status
    params["status"] = json_status

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/corrections",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CorrectionList | Problem | None:
    if response.status_code == 200:
        response_200 = CorrectionList.from_dict(response.json())

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
) -> Response[CorrectionList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ListCorrectionsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[CorrectionList | Problem]:
    """List the team's corrections for review, newest first

     Every correction made with the caller's team's keys: by staff, and by people in the widget or Slack
    ("no, that is an outcome"). Staff only.

    Args:
        status (ListCorrectionsStatusType0 | None | Unset): Only corrections with this status.
        limit (int | Unset): At most this many. Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CorrectionList | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: ListCorrectionsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> CorrectionList | Problem | None:
    """List the team's corrections for review, newest first

     Every correction made with the caller's team's keys: by staff, and by people in the widget or Slack
    ("no, that is an outcome"). Staff only.

    Args:
        status (ListCorrectionsStatusType0 | None | Unset): Only corrections with this status.
        limit (int | Unset): At most this many. Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CorrectionList | Problem
    """

    return sync_detailed(
        client=client,
        status=status,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ListCorrectionsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[CorrectionList | Problem]:
    """List the team's corrections for review, newest first

     Every correction made with the caller's team's keys: by staff, and by people in the widget or Slack
    ("no, that is an outcome"). Staff only.

    Args:
        status (ListCorrectionsStatusType0 | None | Unset): Only corrections with this status.
        limit (int | Unset): At most this many. Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CorrectionList | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ListCorrectionsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> CorrectionList | Problem | None:
    """List the team's corrections for review, newest first

     Every correction made with the caller's team's keys: by staff, and by people in the widget or Slack
    ("no, that is an outcome"). Staff only.

    Args:
        status (ListCorrectionsStatusType0 | None | Unset): Only corrections with this status.
        limit (int | Unset): At most this many. Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CorrectionList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            limit=limit,
        )
    ).parsed
