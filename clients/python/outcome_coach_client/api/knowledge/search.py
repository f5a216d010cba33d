from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.search_kind import SearchKind
from ...models.search_out import SearchOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    q: str,
    k: int | Unset = 5,
    kind: SearchKind | Unset = "guidance",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["q"] = q

    params["k"] = k

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind

    params["kind"] = json_kind

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/knowledge/search",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SearchOut | None:
    if response.status_code == 200:
        response_200 = SearchOut.from_dict(response.json())

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
) -> Response[Problem | SearchOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    q: str,
    k: int | Unset = 5,
    kind: SearchKind | Unset = "guidance",
) -> Response[Problem | SearchOut]:
    """Search the guidance, the measure library or the labelled examples

    Args:
        q (str): What to look for, in plain words (up to the statement limit, 2,000 characters).
        k (int | Unset): How many passages. Default: 5.
        kind (SearchKind | Unset): Which collection. Default: 'guidance'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SearchOut]
    """

    kwargs = _get_kwargs(
        q=q,
        k=k,
        kind=kind,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    q: str,
    k: int | Unset = 5,
    kind: SearchKind | Unset = "guidance",
) -> Problem | SearchOut | None:
    """Search the guidance, the measure library or the labelled examples

    Args:
        q (str): What to look for, in plain words (up to the statement limit, 2,000 characters).
        k (int | Unset): How many passages. Default: 5.
        kind (SearchKind | Unset): Which collection. Default: 'guidance'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SearchOut
    """

    return sync_detailed(
        client=client,
        q=q,
        k=k,
        kind=kind,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    q: str,
    k: int | Unset = 5,
    kind: SearchKind | Unset = "guidance",
) -> Response[Problem | SearchOut]:
    """Search the guidance, the measure library or the labelled examples

    Args:
        q (str): What to look for, in plain words (up to the statement limit, 2,000 characters).
        k (int | Unset): How many passages. Default: 5.
        kind (SearchKind | Unset): Which collection. Default: 'guidance'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SearchOut]
    """

    kwargs = _get_kwargs(
        q=q,
        k=k,
        kind=kind,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    q: str,
    k: int | Unset = 5,
    kind: SearchKind | Unset = "guidance",
) -> Problem | SearchOut | None:
    """Search the guidance, the measure library or the labelled examples

    Args:
        q (str): What to look for, in plain words (up to the statement limit, 2,000 characters).
        k (int | Unset): How many passages. Default: 5.
        kind (SearchKind | Unset): Which collection. Default: 'guidance'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SearchOut
    """

    return (
        await asyncio_detailed(
            client=client,
            q=q,
            k=k,
            kind=kind,
        )
    ).parsed
