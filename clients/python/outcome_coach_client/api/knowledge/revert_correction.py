from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.correction_record_out import CorrectionRecordOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    correction_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/corrections/{correction_id}/revert".format(
            correction_id=quote(str(correction_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CorrectionRecordOut | Problem | None:
    if response.status_code == 200:
        response_200 = CorrectionRecordOut.from_dict(response.json())

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
) -> Response[CorrectionRecordOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    correction_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[CorrectionRecordOut | Problem]:
    """Revert a correction: it stops applying at once

     For its team at once, and for every team if it had been promoted (the shared model is retrained).

    Args:
        correction_id (int): The correction's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CorrectionRecordOut | Problem]
    """

    kwargs = _get_kwargs(
        correction_id=correction_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    correction_id: int,
    *,
    client: AuthenticatedClient,
) -> CorrectionRecordOut | Problem | None:
    """Revert a correction: it stops applying at once

     For its team at once, and for every team if it had been promoted (the shared model is retrained).

    Args:
        correction_id (int): The correction's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CorrectionRecordOut | Problem
    """

    return sync_detailed(
        correction_id=correction_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    correction_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[CorrectionRecordOut | Problem]:
    """Revert a correction: it stops applying at once

     For its team at once, and for every team if it had been promoted (the shared model is retrained).

    Args:
        correction_id (int): The correction's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CorrectionRecordOut | Problem]
    """

    kwargs = _get_kwargs(
        correction_id=correction_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    correction_id: int,
    *,
    client: AuthenticatedClient,
) -> CorrectionRecordOut | Problem | None:
    """Revert a correction: it stops applying at once

     For its team at once, and for every team if it had been promoted (the shared model is retrained).

    Args:
        correction_id (int): The correction's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CorrectionRecordOut | Problem
    """

    return (
        await asyncio_detailed(
            correction_id=correction_id,
            client=client,
        )
    ).parsed
