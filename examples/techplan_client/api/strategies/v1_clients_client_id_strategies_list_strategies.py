from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.v1_clients_client_id_strategies_list_strategies_response_200 import (
    V1ClientsClientIdStrategiesListStrategiesResponse200,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    client_id: UUID,
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    min_position: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: str | Unset | None
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_min_position: int | Unset | None
    if isinstance(min_position, Unset):
        json_min_position = UNSET
    else:
        json_min_position = min_position
    params["min_position"] = json_min_position

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/clients/{client_id}/strategies".format(
            client_id=quote(str(client_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | V1ClientsClientIdStrategiesListStrategiesResponse200 | None:
    if response.status_code == 200:
        response_200 = V1ClientsClientIdStrategiesListStrategiesResponse200.from_dict(
            response.json()
        )

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | V1ClientsClientIdStrategiesListStrategiesResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    client_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    min_position: int | None | Unset = UNSET,
) -> Response[Problem | V1ClientsClientIdStrategiesListStrategiesResponse200]:
    """ListStrategies

    Args:
        client_id (UUID):
        limit (int | Unset): items per page (1-500) Default: 50.
        cursor (None | str | Unset): opaque: the `next_cursor` of the previous page (a bad one is
            400)
        min_position (int | None | Unset): answer only once the read side holds every event up to
            this position

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | V1ClientsClientIdStrategiesListStrategiesResponse200]
    """

    kwargs = _get_kwargs(
        client_id=client_id,
        limit=limit,
        cursor=cursor,
        min_position=min_position,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    client_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    min_position: int | None | Unset = UNSET,
) -> Problem | V1ClientsClientIdStrategiesListStrategiesResponse200 | None:
    """ListStrategies

    Args:
        client_id (UUID):
        limit (int | Unset): items per page (1-500) Default: 50.
        cursor (None | str | Unset): opaque: the `next_cursor` of the previous page (a bad one is
            400)
        min_position (int | None | Unset): answer only once the read side holds every event up to
            this position

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | V1ClientsClientIdStrategiesListStrategiesResponse200
    """

    return sync_detailed(
        client_id=client_id,
        client=client,
        limit=limit,
        cursor=cursor,
        min_position=min_position,
    ).parsed


async def asyncio_detailed(
    client_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    min_position: int | None | Unset = UNSET,
) -> Response[Problem | V1ClientsClientIdStrategiesListStrategiesResponse200]:
    """ListStrategies

    Args:
        client_id (UUID):
        limit (int | Unset): items per page (1-500) Default: 50.
        cursor (None | str | Unset): opaque: the `next_cursor` of the previous page (a bad one is
            400)
        min_position (int | None | Unset): answer only once the read side holds every event up to
            this position

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | V1ClientsClientIdStrategiesListStrategiesResponse200]
    """

    kwargs = _get_kwargs(
        client_id=client_id,
        limit=limit,
        cursor=cursor,
        min_position=min_position,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    client_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    min_position: int | None | Unset = UNSET,
) -> Problem | V1ClientsClientIdStrategiesListStrategiesResponse200 | None:
    """ListStrategies

    Args:
        client_id (UUID):
        limit (int | Unset): items per page (1-500) Default: 50.
        cursor (None | str | Unset): opaque: the `next_cursor` of the previous page (a bad one is
            400)
        min_position (int | None | Unset): answer only once the read side holds every event up to
            this position

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | V1ClientsClientIdStrategiesListStrategiesResponse200
    """

    return (
        await asyncio_detailed(
            client_id=client_id,
            client=client,
            limit=limit,
            cursor=cursor,
            min_position=min_position,
        )
    ).parsed
